import { Listener, logger, PaymentFailedEvent, Subjects } from '@ticketing/common';

/**
 * A charge was declined. The order stays as it is, active until it expires, so that the buyer
 * can try another card; the event is only recorded in the log.
 */
export class PaymentFailedListener extends Listener<PaymentFailedEvent> {
  readonly subject = Subjects.PaymentFailed;

  onMessage({ orderId, reason }: PaymentFailedEvent['data']): Promise<void> {
    logger.info(`[orders] payment for order ${orderId} failed, the order stays open: ${reason}`);
    return Promise.resolve();
  }
}
