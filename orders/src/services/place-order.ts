import { BadRequestError, ForbiddenError, isDuplicateKey } from '@ticketing/common';
import { expiresAtFromNow } from '../config';
import { AdmissionUse } from '../models/admission-use';
import { buyerKey } from '../models/buyer-entry';
import { Order, OrderDoc } from '../models/order';
import type { TicketDoc } from '../models/ticket';
import { ordersPlaced } from './order-metrics';
import { buyerUnits, stock } from './stock';

export interface OrderRequest {
  userId: string;
  ticket: TicketDoc;
  quantity: number;
  /** The admission checked for a waiting-room listing. */
  admissionId?: string;
}

/** Why the stock had no room for the order. */
const refusal = (available: number) => (available === 0 ? 'Sold out' : 'Not enough tickets');

/** Marks the admission used by this order; a second order with it is refused before it holds anything. */
const useAdmission = async (admissionId: string, order: OrderDoc) => {
  try {
    await AdmissionUse.create({ _id: admissionId, orderId: order.id });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ForbiddenError('Admission already used');
    throw err;
  }
};

/** The order was not placed: its admission may place another. */
const giveAdmissionBack = async (admissionId: string | undefined, order: OrderDoc) => {
  if (admissionId) await AdmissionUse.deleteOne({ _id: admissionId, orderId: order.id });
};

export const LIMIT_PER_BUYER_REACHED = 'Limit per buyer reached';

/** The order is refused before it holds anything: its admission may place another. */
const refuse = async (admissionId: string | undefined, order: OrderDoc, reason: string) => {
  await giveAdmissionBack(admissionId, order);
  ordersPlaced.inc({ outcome: 'refused' });
  return new BadRequestError(reason);
};

/**
 * Uses the admission (if the listing has a waiting room), holds the units in the buyer's chain (within the
 * listing's limitPerBuyer) and then in the stock (each an atomic step that decides), then stores the order with
 * its order:created event. What a refused or failed order took is given back at once; a crash between the
 * writes leaves holds without an order, which the HoldRepairer gives back (and an admission used by no order,
 * which lapses with its token). An order saved after the repair gave its holds back fails on its `_id`, which
 * the repair took (see abandonOrders).
 */
export const placeOrder = async ({ userId, ticket, quantity, admissionId }: OrderRequest) => {
  const order = Order.build({ userId, ticket, quantity, admissionId, expiresAt: expiresAtFromNow() });
  const buyer = buyerKey(ticket.id, userId);
  if (admissionId) await useAdmission(admissionId, order);
  // A sold-out listing refuses before the buyer's chain is written: a rush's refusals stay reads.
  const room = await stock.fits(ticket.id, quantity, ticket.quantity);
  if (!room.held) throw await refuse(admissionId, order, refusal(room.available));
  const allowed = await buyerUnits.hold(buyer, order.id, quantity, ticket.limitPerBuyer);
  if (!allowed.held) throw await refuse(admissionId, order, LIMIT_PER_BUYER_REACHED);
  const hold = await stock.hold(ticket.id, order.id, quantity, ticket.quantity);
  if (!hold.held) {
    await buyerUnits.release(buyer, order.id, quantity);
    throw await refuse(admissionId, order, refusal(hold.available));
  }
  try {
    await order.save();
  } catch (err) {
    await stock.release(ticket.id, order.id, quantity);
    await buyerUnits.release(buyer, order.id, quantity);
    await giveAdmissionBack(admissionId, order);
    if (isDuplicateKey(err)) throw new Error(`order ${order.id} was stored after the repair pass had given its units back`);
    throw err;
  }
  ordersPlaced.inc({ outcome: 'placed' });
  return order;
};
