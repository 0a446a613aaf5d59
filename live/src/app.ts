import { createApp } from '@ticketing/common';
import { Router } from 'express';
import { LIVE_PATH } from './socket/live-server';

/** GET /api/live without an upgrade asks for one; the upgrade itself goes to LiveServer, not to Express. */
const upgradeRequired = Router().get(LIVE_PATH, (_req, res) => {
  res
    .status(426)
    .set('Upgrade', 'websocket')
    .send({ errors: [{ message: 'Upgrade to a WebSocket' }] });
});

export const buildApp = () => createApp([upgradeRequired]);
