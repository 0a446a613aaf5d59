import { Listener, logger, PaymentRefundedEvent, Subjects } from '@ticketing/common';

/** The charge of a cancelled order went back: the order is already cancelled, so it is only recorded in the log. */
export class PaymentRefundedListener extends Listener<PaymentRefundedEvent> {
  readonly subject = Subjects.PaymentRefunded;

  onMessage({ orderId, stripeId }: PaymentRefundedEvent['data']): Promise<void> {
    logger.info(`[orders] charge ${stripeId} of cancelled order ${orderId} was refunded`);
    return Promise.resolve();
  }
}
