import { Types } from 'mongoose';
import type {
  OrderCancelledEvent,
  OrderCreatedEvent,
  PaymentCreatedEvent,
  PaymentRefundedEvent,
  ReservationRejectedEvent,
  TicketCreatedEvent,
  TicketUpdatedEvent,
} from '../events/events';
import { OrderStatus } from '../events/order-status';
import { toCents } from '../money';

/** A fresh id, as the services' records have. */
export const newId = () => new Types.ObjectId().toHexString();

type Overrides<T extends { ticket: object }> = Partial<Omit<T, 'ticket'>> & { ticket?: Partial<T['ticket']> };

/** The payloads services publish, with fresh ids and plausible values; pass what a test cares about. */
export const orderCreatedData = ({ ticket, ...fields }: Overrides<OrderCreatedEvent['data']> = {}): OrderCreatedEvent['data'] => {
  const placed = { id: newId(), price: 20, sellerId: newId(), version: 0, ...ticket };
  const quantity = fields.quantity ?? 1;
  return {
    id: newId(),
    version: 0,
    status: OrderStatus.Created,
    userId: newId(),
    expiresAt: new Date(Date.now() + 15 * 60_000).toISOString(),
    quantity,
    totalCents: toCents(placed.price) * quantity,
    ...fields,
    ticket: placed,
  };
};

export const orderCancelledData = ({ ticket, ...fields }: Overrides<OrderCancelledEvent['data']> = {}): OrderCancelledEvent['data'] => ({
  id: newId(),
  version: 1,
  ...fields,
  ticket: { id: newId(), ...ticket },
});

export const ticketCreatedData = (fields: Partial<TicketCreatedEvent['data']> = {}): TicketCreatedEvent['data'] => ({
  id: newId(),
  version: 0,
  title: 'Concert',
  price: 20,
  userId: newId(),
  quantity: 1,
  available: 1,
  onSaleAt: null,
  waitingRoom: null,
  limitPerBuyer: 4,
  ...fields,
});

export const ticketUpdatedData = (fields: Partial<TicketUpdatedEvent['data']> = {}): TicketUpdatedEvent['data'] => ({
  ...ticketCreatedData({ version: 1 }),
  ...fields,
});

export const paymentCreatedData = (fields: Partial<PaymentCreatedEvent['data']> = {}): PaymentCreatedEvent['data'] => ({
  id: newId(),
  orderId: newId(),
  stripeId: 'ch_test',
  sellerId: newId(),
  amountCents: 2000,
  currency: 'usd',
  ...fields,
});

export const paymentRefundedData = (fields: Partial<PaymentRefundedEvent['data']> = {}): PaymentRefundedEvent['data'] => ({
  ...paymentCreatedData(),
  ...fields,
});

export const reservationRejectedData = ({
  ticket,
  ...fields
}: Overrides<ReservationRejectedEvent['data']> = {}): ReservationRejectedEvent['data'] => ({
  orderId: newId(),
  ...fields,
  ticket: { id: newId(), price: 20, ...ticket },
});
