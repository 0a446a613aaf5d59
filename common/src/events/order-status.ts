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
