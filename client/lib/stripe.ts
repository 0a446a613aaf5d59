/** The little of Stripe.js v3 the card form uses; the library itself is loaded from js.stripe.com only when a key is configured. */
export interface StripeCardElement {
  mount(element: HTMLElement): void;
  destroy(): void;
  on(event: 'change', handler: (event: { error?: { message: string } }) => void): void;
}

export interface StripeJs {
  elements(): { create(type: 'card', options?: { hidePostalCode?: boolean; style?: object }): StripeCardElement };
  createToken(card: StripeCardElement): Promise<{ token?: { id: string }; error?: { message?: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => StripeJs;
  }
}

const STRIPE_JS_URL = 'https://js.stripe.com/v3/';

let loading: Promise<StripeJs> | undefined;

/** Adds the Stripe.js script once and resolves with a client for the key. */
export function loadStripe(publishableKey: string): Promise<StripeJs> {
  loading ??= new Promise<StripeJs>((resolve, reject) => {
    const ready = () => (window.Stripe ? resolve(window.Stripe(publishableKey)) : reject(new Error('Stripe.js did not load')));
    if (window.Stripe) return ready();
    const script = document.createElement('script');
    script.src = STRIPE_JS_URL;
    script.async = true;
    script.onload = ready;
    script.onerror = () => reject(new Error('Stripe.js could not be loaded'));
    document.head.appendChild(script);
  }).catch((err: unknown) => {
    loading = undefined; // let a later attempt retry
    throw err;
  });
  return loading;
}
