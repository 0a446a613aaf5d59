import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import type { ChargeQueue } from './workers/charge-queue';
import { createPaymentRouter } from './routes/create-payment';
import { showPaymentRouter } from './routes/show-payment';
import { refusedRefundCount } from './services/refund';

/** Ready while Mongo and the queue's Redis are connected; /healthz counts the refunds Stripe refused for good. */
export const buildApp = (queue: ChargeQueue) =>
  createApp([createPaymentRouter(queue), showPaymentRouter], {
    isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected && queue.client.status === 'ready',
    counts: () => ({ refusedRefunds: refusedRefundCount() }),
  });
