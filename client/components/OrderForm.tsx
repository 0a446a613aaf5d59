'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Order, Ticket } from '@ticketing/common/api';
import { formatCents, priceToCents } from '@/lib/format';
import { useRequest } from '@/lib/use-request';
import { FormErrors } from './FormErrors';

/** The most units one order may hold (POST /api/orders). */
export const MAX_ORDER_QUANTITY = 4;

const FIELDS = ['quantity'] as const;

interface OrderFormProps {
  ticket: Pick<Ticket, 'id' | 'price' | 'available'>;
  /** The waiting room's admission token, for a listing that has one. */
  admission?: string;
}

/** Reserves units with a new order (POST /api/orders) and moves on to paying for them. */
export function OrderForm({ ticket, admission }: OrderFormProps) {
  const router = useRouter();
  const { send, pending, errors } = useRequest<Order>('POST', '/api/orders', FIELDS);
  const maxQuantity = Math.max(1, Math.min(MAX_ORDER_QUANTITY, ticket.available));
  const [picked, setPicked] = useState(1);
  // What is left can shrink while the page is open (a live refresh): never offer or send more than that.
  const quantity = Math.min(picked, maxQuantity);
  const totalCents = priceToCents(ticket.price) * quantity;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send({ ticketId: ticket.id, quantity, ...(admission ? { admission } : {}) });
    if (result.ok) router.push(`/orders/${result.data.id}`);
  }

  const quantityError = errors.field('quantity');
  return (
    <form className="stack order-form" onSubmit={(event) => void onSubmit(event)} noValidate>
      {maxQuantity > 1 && (
        <div className="field order-quantity">
          <label htmlFor="quantity">Tickets</label>
          <select
            id="quantity"
            name="quantity"
            value={quantity}
            onChange={(e) => setPicked(Number(e.target.value))}
            aria-invalid={quantityError ? true : undefined}
            aria-describedby={quantityError ? 'quantity-error' : 'quantity-hint'}
            data-testid="quantity-picker"
          >
            {Array.from({ length: maxQuantity }, (_, i) => i + 1).map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          {quantityError ? (
            <p id="quantity-error" className="field-error" role="alert" data-testid="quantity-picker-error">
              {quantityError}
            </p>
          ) : (
            <p id="quantity-hint" className="field-hint">
              Up to {maxQuantity} per order.
            </p>
          )}
        </div>
      )}
      <p className="order-total" aria-live="polite">
        Total <strong data-testid="order-form-total">{formatCents(totalCents, 'usd')}</strong>
      </p>
      <FormErrors messages={errors.general} />
      <button type="submit" className="button button-primary button-large" disabled={pending} data-testid="buy-button">
        {pending ? 'Reserving…' : quantity > 1 ? `Buy ${quantity} tickets` : 'Buy ticket'}
      </button>
    </form>
  );
}
