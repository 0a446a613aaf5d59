'use client';

import { useRouter } from 'next/navigation';
import type { Order } from '@ticketing/common/api';
import { useRequest } from '@/lib/use-request';
import { FormErrors } from './FormErrors';

/** Reserves the ticket with a new order and moves on to paying for it. */
export function BuyButton({ ticketId }: { ticketId: string }) {
  const router = useRouter();
  const { send, pending, errors } = useRequest<Order>('POST', '/api/orders');

  async function buy() {
    const result = await send({ ticketId });
    if (result.ok) router.push(`/orders/${result.data.id}`);
  }

  return (
    <div className="stack">
      <FormErrors messages={errors.general} />
      <button
        type="button"
        className="button button-primary button-large"
        onClick={() => void buy()}
        disabled={pending}
        data-testid="buy-button"
      >
        {pending ? 'Reserving…' : 'Buy ticket'}
      </button>
    </div>
  );
}
