import { logger, Subjects } from '@ticketing/common';
import { useServiceTest, waitUntil } from '@ticketing/common/testing';
import Stripe from 'stripe';
import { paymentOutbox } from '../../events/outbox';
import { PaymentStatus } from '../../models/payment';
import { stripe } from '../../stripe';
import { useTestQueues } from '../../__test__/charge-queues';
import { orderWithPayment, readPayment } from '../../__test__/payments';
import { enqueueCharge } from '../charge-queue';
import { ChargeWorker } from '../charge-worker';

const { published } = useServiceTest(paymentOutbox);
const { queue, replica } = useTestQueues();

afterEach(() => jest.restoreAllMocks());

it('charges queued attempts, with back-off retries while Stripe fails', async () => {
  const charges = jest.spyOn(stripe().charges, 'create');
  charges.mockRejectedValueOnce(new Stripe.errors.StripeAPIError({ message: 'Internal error', statusCode: 503 }));
  jest.spyOn(logger, 'error').mockImplementation(() => {});
  // Workers get queues of their own: stop() closes the queue.
  const worker = new ChargeWorker(replica(), 4);
  worker.start();
  const { paymentId } = await orderWithPayment();

  await enqueueCharge(queue, paymentId, 1);
  await waitUntil(async () => (await readPayment(paymentId)).status === PaymentStatus.Succeeded, 10_000, 'the charge');

  expect(charges).toHaveBeenCalledTimes(2);
  expect(await published(Subjects.PaymentCreated)).toHaveLength(1);
  await worker.stop();
});

it('shares a queue between two replicas without charging any attempt twice', async () => {
  const charges = jest.spyOn(stripe().charges, 'create');
  const other = replica();
  const workers = [new ChargeWorker(replica(), 4), new ChargeWorker(replica(), 4)];
  workers.forEach((worker) => worker.start());
  const payments = await Promise.all(Array.from({ length: 20 }, () => orderWithPayment()));

  // Each attempt queued twice over, once through each replica's connection.
  for (const { paymentId } of payments) {
    await enqueueCharge(queue, paymentId, 1);
    await enqueueCharge(other, paymentId, 1);
  }
  await waitUntil(
    async () =>
      (await Promise.all(payments.map(({ paymentId }) => readPayment(paymentId)))).every((p) => p.status === PaymentStatus.Succeeded),
    20_000,
    'every charge',
  );

  expect(charges).toHaveBeenCalledTimes(20);
  expect(await published(Subjects.PaymentCreated)).toHaveLength(20);
  await Promise.all(workers.map((worker) => worker.stop()));
});
