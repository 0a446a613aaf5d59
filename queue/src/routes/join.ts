import express, { Request, Response } from 'express';
import { NotFoundError, objectIdParam, requireAuth, signedInUser } from '@ticketing/common';
import type { QueueDeps } from '../queue-deps';
import { orUnavailable } from './unavailable';

/** POST /api/queue/:ticketId/join: into the line, at its end; joining again keeps one's place. */
export const joinRouter = ({ room, statuses, rounds }: QueueDeps) =>
  express
    .Router()
    .post(
      '/api/queue/:ticketId/join',
      requireAuth,
      objectIdParam('ticketId'),
      async (req: Request<{ ticketId: string }>, res: Response) => {
        const { ticketId } = req.params;
        const user = signedInUser(req);
        const joined = await orUnavailable(room.join(ticketId, user.id));
        if (!joined) throw new NotFoundError();
        // A free slot is given out now rather than at the next timed round; before the sale, or sold out, there is none.
        if (joined.admitting) await rounds.kick(ticketId);
        const status = await orUnavailable(statuses.find(ticketId, user.id));
        if (!status) throw new NotFoundError();
        res.send(status);
      },
    );
