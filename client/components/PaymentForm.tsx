'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatCents } from '@/lib/format';
import { loadStripe, type StripeCardElement, type StripeJs } from '@/lib/stripe';
import type { Payment } from '@ticketing/common/api';
import { request, useRequest } from '@/lib/use-request';
import { FormErrors } from './FormErrors';

export const TEST_TOKENS = [
  { token: 'tok_visa', label: 'Visa •••• 4242 (succeeds)' },
  { token: 'tok_chargeDeclined', label: 'Declined card (fails)' },
] as const;

interface PaymentFormProps {
  orderId: string;
  /** What the order costs in all (quantity × price). */
  totalCents: number;
  /** Stripe publishable key; without one the form pays with Stripe test tokens. */
  stripeKey?: string;
  onPaid: () => void;
}

/** POST /api/payments {orderId, token}, with the token from Stripe Elements or, in test mode, from a list of Stripe test tokens. */
export function PaymentForm(props: PaymentFormProps) {
  return props.stripeKey ? <StripeCardForm {...props} stripeKey={props.stripeKey} /> : <TestCardForm {...props} />;
}

const POLL_FIRST_MS = 500;
const POLL_MAX_MS = 5_000;
const POLL_GIVE_UP_MS = 5 * 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the payment, backing off, until a worker has settled it (or after a few minutes, as pending). */
async function settledPayment(id: string): Promise<Payment | undefined> {
  const deadline = Date.now() + POLL_GIVE_UP_MS;
  for (let wait = POLL_FIRST_MS; Date.now() < deadline; wait = Math.min(POLL_MAX_MS, wait * 2)) {
    await sleep(wait);
    const result = await request<Payment>('GET', `/api/payments/${id}`);
    if (result.ok && result.data.status !== 'pending') return result.data;
  }
  return undefined;
}

const outcomeMessage = (payment: Payment | undefined): string =>
  payment === undefined
    ? 'The payment is still being processed; reload the page later to see its outcome.'
    : payment.status === 'failed'
      ? `${payment.failureMessage ?? 'The payment failed.'} You can try again with another card.`
      : payment.status === 'refundFailed'
        ? 'The order ended before the payment went through, and Stripe refused to refund the charge; we will sort it out with you.'
        : 'The order ended before the payment went through; the charge was refunded.';

/** POST /api/payments answers 202 at once; the outcome comes from polling GET /api/payments/:id. */
function usePayment(orderId: string, onPaid: () => void) {
  const { send, pending, errors } = useRequest<Payment>('POST', '/api/payments');
  const [processing, setProcessing] = useState(false);
  const [outcome, setOutcome] = useState<string>();
  const pay = async (token: string) => {
    setOutcome(undefined);
    const result = await send({ orderId, token });
    if (!result.ok) return;
    setProcessing(true);
    const payment = await settledPayment(result.data.id);
    setProcessing(false);
    if (payment?.status === 'succeeded') onPaid();
    else setOutcome(outcomeMessage(payment));
  };
  return { pay, pending: pending || processing, errors: outcome ? [outcome, ...errors.general] : errors.general };
}

function PayButton({ totalCents, pending, disabled = false }: { totalCents: number; pending: boolean; disabled?: boolean }) {
  return (
    <button type="submit" className="button button-primary button-block" disabled={pending || disabled} data-testid="pay-button">
      {pending ? 'Processing payment…' : `Pay ${formatCents(totalCents, 'usd')}`}
    </button>
  );
}

function TestCardForm({ orderId, totalCents, onPaid }: PaymentFormProps) {
  const { pay, pending, errors } = usePayment(orderId, onPaid);
  const [token, setToken] = useState<string>(TEST_TOKENS[0].token);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void pay(token);
  }

  return (
    <form onSubmit={onSubmit} className="payment-form">
      <div className="test-mode" data-testid="test-mode-notice">
        <strong>Test mode — no real card</strong>
        <span>No Stripe key is configured, so payment uses a Stripe test card. Nothing is charged.</span>
      </div>
      <div className="field">
        <label htmlFor="test-token">Test card</label>
        <select id="test-token" name="token" value={token} onChange={(e) => setToken(e.target.value)} data-testid="test-token">
          {TEST_TOKENS.map((option) => (
            <option key={option.token} value={option.token}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <FormErrors messages={errors} />
      <PayButton totalCents={totalCents} pending={pending} />
    </form>
  );
}

function StripeCardForm({ orderId, totalCents, stripeKey, onPaid }: PaymentFormProps & { stripeKey: string }) {
  const { pay, pending, errors } = usePayment(orderId, onPaid);
  const mountPoint = useRef<HTMLDivElement>(null);
  const [stripe, setStripe] = useState<{ client: StripeJs; card: StripeCardElement }>();
  const [cardError, setCardError] = useState<string>();
  const [tokenizing, setTokenizing] = useState(false);

  useEffect(() => {
    let card: StripeCardElement | undefined;
    let cancelled = false;
    loadStripe(stripeKey).then(
      (client) => {
        if (cancelled || !mountPoint.current) return;
        card = client.elements().create('card', { hidePostalCode: true, style: { base: { fontSize: '16px' } } });
        card.mount(mountPoint.current);
        card.on('change', (event) => setCardError(event.error?.message));
        setStripe({ client, card });
      },
      (err: unknown) => setCardError(err instanceof Error ? err.message : 'The card form could not be loaded'),
    );
    return () => {
      cancelled = true;
      card?.destroy();
    };
  }, [stripeKey]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe) return;
    setTokenizing(true);
    const { token, error } = await stripe.client.createToken(stripe.card);
    setTokenizing(false);
    if (!token) return setCardError(error?.message ?? 'The card was not accepted');
    await pay(token.id);
  }

  return (
    <form onSubmit={(event) => void onSubmit(event)} className="payment-form">
      <div className="field">
        <span className="label">Card details</span>
        <div id="card-element" ref={mountPoint} className="card-element" data-testid="card-element" />
      </div>
      <FormErrors messages={cardError ? [cardError, ...errors] : errors} />
      <PayButton totalCents={totalCents} pending={pending || tokenizing} disabled={!stripe} />
    </form>
  );
}
