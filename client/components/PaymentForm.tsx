'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatPrice } from '@/lib/format';
import { loadStripe, type StripeCardElement, type StripeJs } from '@/lib/stripe';
import { useRequest } from '@/lib/use-request';
import { FormErrors } from './FormErrors';

export const TEST_TOKENS = [
  { token: 'tok_visa', label: 'Visa •••• 4242 (succeeds)' },
  { token: 'tok_chargeDeclined', label: 'Declined card (fails)' },
] as const;

interface PaymentFormProps {
  orderId: string;
  price: number;
  /** Stripe publishable key; without one the form pays with Stripe test tokens. */
  stripeKey?: string;
  onPaid: () => void;
}

/** POST /api/payments {orderId, token}, with the token from Stripe Elements or, in test mode, from a list of Stripe test tokens. */
export function PaymentForm(props: PaymentFormProps) {
  return props.stripeKey ? <StripeCardForm {...props} stripeKey={props.stripeKey} /> : <TestCardForm {...props} />;
}

function usePayment(orderId: string, onPaid: () => void) {
  const { send, pending, errors } = useRequest<{ id: string }>('POST', '/api/payments');
  const pay = async (token: string) => {
    const result = await send({ orderId, token });
    if (result.ok) onPaid();
  };
  return { pay, pending, errors: errors.general };
}

function PayButton({ price, pending, disabled = false }: { price: number; pending: boolean; disabled?: boolean }) {
  return (
    <button type="submit" className="button button-primary button-block" disabled={pending || disabled} data-testid="pay-button">
      {pending ? 'Processing payment…' : `Pay ${formatPrice(price)}`}
    </button>
  );
}

function TestCardForm({ orderId, price, onPaid }: PaymentFormProps) {
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
      <PayButton price={price} pending={pending} />
    </form>
  );
}

function StripeCardForm({ orderId, price, stripeKey, onPaid }: PaymentFormProps & { stripeKey: string }) {
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
      <PayButton price={price} pending={pending || tokenizing} disabled={!stripe} />
    </form>
  );
}
