import { runService } from '@ticketing/common';
import { app } from './app';

void runService({ name: 'auth', app, env: ['JWT_KEY'], mongo: true, eventBus: false });
