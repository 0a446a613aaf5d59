/** Shapes of the API's JSON, as docs/design.md defines them. */

export interface Ticket {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
  /** Set while an order holds the ticket. */
  orderId?: string;
}

export type OrderStatus = 'created' | 'cancelled' | 'awaiting:payment' | 'complete';

export interface Order {
  id: string;
  userId: string;
  status: OrderStatus;
  /** ISO timestamp after which an unpaid order is cancelled. */
  expiresAt: string;
  version: number;
  ticket: Pick<Ticket, 'id' | 'title' | 'price'>;
}

export interface CurrentUser {
  id: string;
  email: string;
  iat: number;
}

export interface ApiErrorItem {
  message: string;
  field?: string;
}

/** Every request answers with data, or with the API's error list and the HTTP status (0 when the API was unreachable). */
export type ApiResult<T> =
  | { ok: true; status: number; data: T; headers: Headers }
  | { ok: false; status: number; errors: ApiErrorItem[] };
