export enum OrderStatus {
  /** The order exists and holds its ticket; not paid yet. */
  Created = 'created',
  /** Cancelled by the user, expired, or its ticket went to someone else. */
  Cancelled = 'cancelled',
  /** Payment started and not confirmed yet. */
  AwaitingPayment = 'awaiting:payment',
  /** Paid. */
  Complete = 'complete',
}

/** Statuses in which an order still holds its ticket. */
export const activeOrderStatuses = [OrderStatus.Created, OrderStatus.AwaitingPayment] as const;
