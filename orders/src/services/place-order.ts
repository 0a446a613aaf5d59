import { BadRequestError, ForbiddenError, isDuplicateKey } from '@ticketing/common';
import { expiresAtFromNow } from '../expiration-window';
import { Order } from '../models/order';
import type { TicketDoc } from '../models/ticket';
import { unitLedger } from './unit-ledger';

export interface OrderRequest {
  userId: string;
  ticket: TicketDoc;
  quantity: number;
  /** The admission checked for a waiting-room listing. */
  admissionId?: string;
}

/** Why the ledger had no room: the one-unit listing's message predates quantities. */
const refusal = (ticket: TicketDoc, available: number) => {
  if (ticket.quantity === 1) return 'Ticket is already reserved';
  return available === 0 ? 'Sold out' : 'Not enough tickets';
};

/**
 * Holds the units in the stock ledger (the one atomic step that decides), then stores the order with
 * its order:created event. If the order cannot be stored the units go back at once; a crash between
 * the two writes leaves a hold without an order, which the HoldRepairer gives back.
 */
export const placeOrder = async ({ userId, ticket, quantity, admissionId }: OrderRequest) => {
  const order = Order.build({ userId, ticket, quantity, admissionId, expiresAt: expiresAtFromNow() });
  const hold = await unitLedger.hold(ticket.id, order.id, quantity, ticket.quantity);
  if (!hold.held) throw new BadRequestError(refusal(ticket, hold.available));
  try {
    await order.save();
  } catch (err) {
    await unitLedger.release(ticket.id, order.id, quantity);
    // The unique admissionId: this admission has bought already.
    if (isDuplicateKey(err)) throw new ForbiddenError('Admission already used');
    throw err;
  }
  return order;
};
