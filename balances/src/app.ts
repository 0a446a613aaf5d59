import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { listEntriesRouter } from './routes/list-entries';
import { showBalanceRouter } from './routes/show-balance';

export const buildApp = () =>
  createApp([showBalanceRouter, listEntriesRouter], {
    isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
  });
