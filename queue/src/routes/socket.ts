import express from 'express';

/** GET /api/queue/:ticketId/ws without an upgrade asks for one; the upgrade itself goes to QueueServer. */
export const socketRouter = () =>
  express.Router().get('/api/queue/:ticketId/ws', (_req, res) => {
    res
      .status(426)
      .set('Upgrade', 'websocket')
      .send({ errors: [{ message: 'Upgrade to a WebSocket' }] });
  });
