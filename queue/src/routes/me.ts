import express, { Request, Response } from 'express';
import { NotFoundError, objectIdParam, requireAuth, signedInUser } from '@ticketing/common';
import type { QueueDeps } from '../queue-deps';
import { orUnavailable } from './unavailable';

/** GET /api/queue/:ticketId/me: the caller's place in line, or admission (with its token). */
export const meRouter = ({ statuses }: QueueDeps) =>
  express
    .Router()
    .get('/api/queue/:ticketId/me', requireAuth, objectIdParam('ticketId'), async (req: Request<{ ticketId: string }>, res: Response) => {
      const status = await orUnavailable(statuses.find(req.params.ticketId, signedInUser(req).id));
      if (!status) throw new NotFoundError();
      res.send(status);
    });
