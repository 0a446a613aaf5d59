import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { createTicketRouter } from './routes/create';
import { listTicketsRouter } from './routes/list';
import { showTicketRouter } from './routes/show';
import { updateTicketRouter } from './routes/update';

export const buildApp = () =>
  createApp([createTicketRouter, listTicketsRouter, showTicketRouter, updateTicketRouter], {
    isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
  });
