import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { createTicketRouter } from './routes/create';
import { listTicketsRouter } from './routes/list';
import { myListingsRouter } from './routes/mine';
import { showTicketRouter } from './routes/show';
import { updateTicketRouter } from './routes/update';

export const buildApp = () =>
  // My listings before the lookup by id, which would take `mine` for an id.
  createApp([createTicketRouter, listTicketsRouter, myListingsRouter, showTicketRouter, updateTicketRouter], {
    isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
  });
