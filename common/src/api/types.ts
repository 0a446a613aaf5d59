/**
 * The JSON the HTTP API sends, as docs/design.md's "HTTP API" section gives it: the one declaration the
 * client and the end-to-end suites read. Types only, published (with live.ts) as `@ticketing/common/api`, so
 * that a browser bundle importing it pulls in no server code.
 */
import type { SerializedError } from '../errors/custom-error';
import type { OrderStatus as OrderStatusEnum } from '../events/order-status';

/** One entry of every error response; `field` names the input at fault, if there is one. */
export type ApiError = SerializedError;

/** The body of every 4xx and 5xx answer. */
export interface ApiErrors {
  errors: ApiError[];
}

/** POST /api/users/signup and /api/users/signin. */
export interface User {
  id: string;
  email: string;
}

/** The session's user; `iat` is when its token was issued, in seconds since the epoch. */
export interface CurrentUser extends User {
  iat: number;
}

/** GET /api/users/currentuser. */
export interface CurrentUserResponse {
  currentUser: CurrentUser | null;
}

export interface Ticket {
  id: string;
  title: string;
  /** One unit's price, in dollars with at most two decimals. */
  price: number;
  userId: string;
  version: number;
  /** Units for sale (1–10,000). */
  quantity: number;
  /** Units not held by an active or paid order. */
  available: number;
  /** ISO timestamp before which orders are refused (400 "Not on sale yet"); null: on sale now. */
  onSaleAt: string | null;
  /** Orders need an admission from the queue service (403 without one); null: no waiting room. */
  waitingRoom: { activeBuyers: number } | null;
  /** Units one buyer may hold across their open and paid orders on it (1–10; 400 "Limit per buyer reached" beyond). */
  limitPerBuyer: number;
}

/** The status values as JSON carries them. */
export type OrderStatus = `${OrderStatusEnum}`;

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  /** ISO timestamp after which an unpaid order is cancelled. */
  expiresAt: string;
  version: number;
  /** One unit's price when the order was placed. */
  price: number;
  /** Units ordered (1–4). */
  quantity: number;
  /** What the buyer pays: quantity × price, in exact integer cents. */
  totalCents: number;
  /** The ticket as it is listed now. */
  ticket: Pick<Ticket, 'id' | 'title' | 'price'>;
}

export type PaymentStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'refundFailed';

/** GET /api/payments/:id; POST /api/payments answers 202 with id, orderId and status "pending". */
export interface Payment {
  id: string;
  orderId: string;
  status: PaymentStatus;
  amountCents: number;
  currency: string;
  stripeId?: string;
  /** Why the last attempt failed (a declined card's reason), while status is "failed". */
  failureMessage?: string;
  /** Why Stripe refuses for good to refund the charge (disputed, say), while status is "refundFailed". */
  refundFailureReason?: string;
  /** ISO timestamp. */
  createdAt: string;
}

/** GET /api/balances/me: what the signed-in seller has earned, in exact cents. */
export interface Balance {
  userId: string;
  balanceCents: number;
  currency: string;
  /** ISO timestamp of the last entry added; null before the first sale. */
  updatedAt: string | null;
}

/** GET /api/balances/me/entries: one line of the seller's ledger; `amountCents` is negative for a refund. */
export interface BalanceEntry {
  /** The event that caused it: `payment:created:<paymentId>` or `payment:refunded:<paymentId>`. */
  id: string;
  /** Its place in the seller's ledger, from 1; X-Next-Cursor names one. */
  seq: number;
  kind: 'sale' | 'refund';
  amountCents: number;
  currency: string;
  paymentId: string;
  orderId: string;
  /** ISO timestamp. */
  createdAt: string;
}
/**
 * GET /api/queue/:ticketId/me: the caller's place in a listing's waiting room. `position` counts from 1
 * (0 once admitted or when not in line), `ahead` = position − 1. Once admitted, `admissionToken` goes
 * with POST /api/orders as `admission`, until `admissionExpiresAt` (ISO) unless an order was placed with it.
 */
export interface QueueStatus {
  ticketId: string;
  position: number;
  ahead: number;
  etaSeconds: number;
  admitted: boolean;
  /** No unit left to sell: the line waits (keeping its order) and no one is admitted until units come back. */
  soldOut: boolean;
  admissionExpiresAt?: string;
  admissionToken?: string;
}
