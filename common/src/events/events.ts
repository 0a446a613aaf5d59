import { OrderStatus } from './order-status';
import { Subjects } from './subjects';

/** A listing's units and sale rules. */
export interface ListingFields {
  /** Units for sale (1–10,000). */
  quantity: number;
  /** Units not held by an active or paid order: tickets' view of orders' stock, for display (orders decides). */
  available: number;
  /** ISO 8601 timestamp before which orders are refused; null: on sale now. */
  onSaleAt: string | null;
  /** Buyers must be admitted by the queue service, at most `activeBuyers` at once; null: no waiting room. */
  waitingRoom: { activeBuyers: number } | null;
  /** Units one buyer may hold at most across their open and paid orders on the listing (1–10). */
  limitPerBuyer: number;
}

export interface TicketCreatedEvent {
  subject: Subjects.TicketCreated;
  data: { id: string; version: number; title: string; price: number; userId: string } & ListingFields;
}

export interface TicketUpdatedEvent {
  subject: Subjects.TicketUpdated;
  data: { id: string; version: number; title: string; price: number; userId: string } & ListingFields;
}

export interface OrderCreatedEvent {
  subject: Subjects.OrderCreated;
  data: {
    id: string;
    version: number;
    status: OrderStatus;
    userId: string;
    /** ISO 8601 timestamp. */
    expiresAt: string;
    /**
     * `sellerId`: the ticket's owner, who is paid for it. `price`: one unit's price when the order was placed.
     * `version`: the listing's version the order was placed against, so that tickets can refuse an order that
     * counted on units the seller has since taken off sale.
     */
    ticket: { id: string; price: number; sellerId: string; version: number };
    /** Units ordered (1–4). */
    quantity: number;
    /** What the buyer pays, quantity × price in exact integer cents. */
    totalCents: number;
    /** The waiting-room admission the order was placed with, if its listing has a waiting room. */
    admissionId?: string;
  };
}

export interface OrderCancelledEvent {
  subject: Subjects.OrderCancelled;
  /** `admissionId`: the waiting-room admission the order was placed with, if its listing has a waiting room. */
  data: { id: string; version: number; ticket: { id: string }; admissionId?: string };
}

export interface ExpirationCompleteEvent {
  subject: Subjects.ExpirationComplete;
  data: { orderId: string };
}

/** What a payment moved, for the seller's balance: exact integer cents in `currency` (ISO 4217, lower case). */
export interface PaymentAmount {
  sellerId: string;
  amountCents: number;
  currency: string;
}

export interface PaymentCreatedEvent {
  subject: Subjects.PaymentCreated;
  /** `admissionId`: the waiting-room admission the order was placed with, if its listing has a waiting room. */
  data: { id: string; orderId: string; stripeId: string; admissionId?: string } & PaymentAmount;
}

/** The card was declined (or the order ended before it was charged): nothing was charged, the order stays as it is. */
export interface PaymentFailedEvent {
  subject: Subjects.PaymentFailed;
  data: { id: string; orderId: string; reason: string };
}

/** The charge of an order cancelled while it was paid for went back to the buyer. */
export interface PaymentRefundedEvent {
  subject: Subjects.PaymentRefunded;
  data: { id: string; orderId: string; stripeId: string } & PaymentAmount;
}

/** Tickets refused to reserve for an order priced from an older version of the ticket; orders cancels it. */
export interface ReservationRejectedEvent {
  subject: Subjects.ReservationRejected;
  data: { orderId: string; ticket: { id: string; price: number } };
}

/** A charge arrived for an order already cancelled (it expired meanwhile): orders asks payments to refund it. */
export interface RefundRequestedEvent {
  subject: Subjects.RefundRequested;
  data: { orderId: string; paymentId: string; reason: string };
}

/** A message `queueGroup`'s handler found invalid EVENT_MAX_DELIVERIES times, parked after `deliveries` deliveries and then acked there. */
export interface DeadLetterEvent {
  subject: Subjects.DeadLetter;
  data: {
    subject: Subjects;
    queueGroup: string;
    sequence: number;
    deliveries: number;
    error: string;
    /** ISO 8601 timestamp. */
    parkedAt: string;
    data: unknown;
  };
}

export type AnyEvent =
  | TicketCreatedEvent
  | TicketUpdatedEvent
  | OrderCreatedEvent
  | OrderCancelledEvent
  | ExpirationCompleteEvent
  | PaymentCreatedEvent
  | PaymentFailedEvent
  | PaymentRefundedEvent
  | ReservationRejectedEvent
  | RefundRequestedEvent
  | DeadLetterEvent;

/** The payload type carried on a subject. */
export type EventData<S extends Subjects> = Extract<AnyEvent, { subject: S }>['data'];
