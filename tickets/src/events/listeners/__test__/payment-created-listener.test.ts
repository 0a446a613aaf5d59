import { Subjects } from '@ticketing/common';
import { paymentCreatedData, useServiceTest } from '@ticketing/common/testing';
import { SoldOrder } from '../../../models/sold-order';
import { ticketOutbox } from '../../outbox';
import { PaymentCreatedListener } from '../payment-created-listener';

const { bus } = useServiceTest(ticketOutbox);
new PaymentCreatedListener(bus).listen('test');

it('notes the order paid, with its listing and units, once however often it arrives', async () => {
  const data = paymentCreatedData({ quantity: 3 });

  expect(await bus.deliver(Subjects.PaymentCreated, data)).toBe('acked');
  expect(await bus.deliver(Subjects.PaymentCreated, data)).toBe('acked');

  expect(await SoldOrder.find().lean()).toEqual([{ _id: data.orderId, ticketId: data.ticket!.id, quantity: 3 }]);
});

it('acks a payment:created that names no listing (published before events carried it), noting nothing', async () => {
  expect(await bus.deliver(Subjects.PaymentCreated, paymentCreatedData({ ticket: undefined, quantity: undefined }))).toBe('acked');
  expect(await SoldOrder.countDocuments()).toBe(0);
});
