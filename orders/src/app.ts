import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { cancelOrderRouter } from './routes/cancel';
import { createOrderRouter } from './routes/create';
import { listOrdersRouter } from './routes/list';
import { showOrderRouter } from './routes/show';

export const buildApp = () =>
  createApp([createOrderRouter, listOrdersRouter, showOrderRouter, cancelOrderRouter], {
    isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
  });
