import mongoose from 'mongoose';
import { createApp } from '@ticketing/common';
import { currentUserRouter } from './routes/current-user';
import { signinRouter } from './routes/signin';
import { signoutRouter } from './routes/signout';
import { signupRouter } from './routes/signup';

export const app = createApp([currentUserRouter, signinRouter, signoutRouter, signupRouter], {
  isReady: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
});
