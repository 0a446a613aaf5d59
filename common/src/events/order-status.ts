export enum OrderStatus {
  /** The order exists and holds its ticket; not paid yet. */
  Created = 'created',
  /** Cancelled by the user, expired, or its ticket went to someone else. */
  Cancelled = 'cancelled',
  /** Paid. */
  Complete = 'complete',
}

/** Statuses in which an order still holds its ticket. */
export const activeOrderStatuses = [OrderStatus.Created] as const;

/** Why a cancelled order was cancelled. */
export enum CancelReason {
  /** The buyer cancelled it (DELETE /api/orders/:id). */
  Buyer = 'buyer',
  /** It was not paid in time (expiration:complete, or orders' sweep for overdue orders). */
  Expired = 'expired',
  /** Tickets refused it: the seller changed the listing while it was being placed (reservation:rejected). */
  Rejected = 'rejected',
}
