export enum Subjects {
  TicketCreated = 'ticket:created',
  TicketUpdated = 'ticket:updated',
  OrderCreated = 'order:created',
  OrderCancelled = 'order:cancelled',
  ExpirationComplete = 'expiration:complete',
  PaymentCreated = 'payment:created',
  PaymentFailed = 'payment:failed',
  PaymentRefunded = 'payment:refunded',
  ReservationRejected = 'reservation:rejected',
  RefundRequested = 'refund:requested',
  /** Messages a listener gave up on, parked for an operator with the error that stopped them. */
  DeadLetter = 'deadletter',
}
