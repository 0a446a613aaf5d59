import { InvalidMessageError, retryOnConflict } from '@ticketing/common';
import { oneWriteAtATime } from '../../models/listing-writes';
import { holdOf, Ticket } from '../../models/ticket';

/** Gives back the units the order holds on the listing, if it holds any (a repeat finds none). */
export const releaseHold = (ticketId: string, orderId: string) =>
  oneWriteAtATime(ticketId, () =>
    retryOnConflict(async () => {
      const ticket = await Ticket.findById(ticketId);
      if (!ticket) throw new InvalidMessageError(`unknown ticket ${ticketId}`);
      return holdOf(ticket, orderId) ? Ticket.release(ticket, orderId) : ticket;
    }),
  );
