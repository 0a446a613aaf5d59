import request from 'supertest';
import type { Payment } from '@ticketing/common/api';
import { newId, signinCookie, useServiceTest } from '@ticketing/common/testing';
import { buildApp } from '../../app';
import { paymentOutbox } from '../../events/outbox';
import { PaymentFields, PaymentStatus } from '../../models/payment';
import { useTestQueues } from '../../__test__/charge-queues';
import { orderWithPayment } from '../../__test__/payments';

useServiceTest(paymentOutbox);
const app = buildApp(useTestQueues().queue);

const storedPayment = async (fields: Partial<PaymentFields> = {}) => {
  const { order, paymentId } = await orderWithPayment(fields);
  return { id: paymentId, orderId: order.id, cookie: signinCookie({ id: order.userId }) };
};

const show = (id: string, cookie: string[] = []) => request(app).get(`/api/payments/${id}`).set('Cookie', cookie);

it('shows the owner a pending payment: amount, currency, no charge yet', async () => {
  const { id, orderId, cookie } = await storedPayment();

  const res = await show(id, cookie).expect(200);

  expect(res.body).toEqual({ id, orderId, status: 'pending', amountCents: 1999, currency: 'usd', createdAt: expect.any(String) });
  expect(Date.parse((res.body as Payment).createdAt)).toBeGreaterThan(Date.now() - 10_000);
});

it('shows the charge id of a succeeded payment and the reason of a failed one', async () => {
  const paid = await storedPayment({ status: PaymentStatus.Succeeded, stripeId: 'ch_1' });
  expect((await show(paid.id, paid.cookie).expect(200)).body).toMatchObject({ status: 'succeeded', stripeId: 'ch_1' });

  const declined = await storedPayment({ status: PaymentStatus.Failed, failureMessage: 'Your card was declined.' });
  expect((await show(declined.id, declined.cookie).expect(200)).body).toMatchObject({
    status: 'failed',
    failureMessage: 'Your card was declined.',
  });
});

it('answers 401 to a stranger and to a caller who is not signed in', async () => {
  const { id } = await storedPayment();
  await show(id, signinCookie()).expect(401);
  await show(id).expect(401);
});

it('answers 404 for an unknown id and for one that is no ObjectId', async () => {
  await show(newId(), signinCookie()).expect(404);
  await show('not-an-id', signinCookie()).expect(404);
});
