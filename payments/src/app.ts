import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { createPaymentRouter } from './routes/create-payment';

export const app = createApp([createPaymentRouter], {
  isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
});
