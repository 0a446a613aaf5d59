/** The API's shapes, as docs/design.md gives them. */
export interface Ticket {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
  orderId?: string;
}

export interface Order {
  id: string;
  userId: string;
  status: 'created' | 'cancelled' | 'awaiting:payment' | 'complete';
  expiresAt: string;
  version: number;
  ticket: { id: string; title: string; price: number };
}

export interface ApiErrors {
  errors: { message: string; field?: string }[];
}
