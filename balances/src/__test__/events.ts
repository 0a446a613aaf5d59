import { Subjects } from '@ticketing/common';
import { newId, paymentCreatedData, paymentRefundedData, RecordingBus } from '@ticketing/common/testing';
import { PaymentCreatedListener } from '../events/listeners/payment-created-listener';
import { PaymentRefundedListener } from '../events/listeners/payment-refunded-listener';

/** A RecordingBus with balances' listeners on it, as runService subscribes them. */
export const balancesBus = () => {
  const bus = new RecordingBus();
  new PaymentCreatedListener(bus).listen('test');
  new PaymentRefundedListener(bus).listen('test');
  return bus;
};

export type Delivered =
  | { subject: Subjects.PaymentCreated; data: ReturnType<typeof paymentCreatedData> }
  | { subject: Subjects.PaymentRefunded; data: ReturnType<typeof paymentRefundedData> };

/** A sale of `amountCents` by `sellerId`, as payments publishes it. */
export const sale = (sellerId: string, amountCents: number): Delivered => ({
  subject: Subjects.PaymentCreated,
  data: paymentCreatedData({ sellerId, amountCents, orderId: newId() }),
});

/** The refund of `sold`, as payments publishes it. */
export const refundOf = (sold: Delivered): Delivered => ({ subject: Subjects.PaymentRefunded, data: paymentRefundedData(sold.data) });

/** Delivers `events` one after the other, as a channel does; what each delivery came to. */
export const deliverAll = async (bus: RecordingBus, events: Delivered[]) => {
  const results = [];
  for (const event of events) results.push(await bus.deliver(event.subject, event.data));
  return results;
};
