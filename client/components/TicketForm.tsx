'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Ticket } from '@ticketing/common/api';
import { useRequest } from '@/lib/use-request';
import { Field } from './Field';
import { FormErrors } from './FormErrors';

const FIELDS = ['title', 'price'] as const;

/** A decimal the user typed becomes a number; anything else goes as typed, so the API's validation message is the one shown. */
const toPrice = (text: string): number | string => (/^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text.trim());

interface TicketFormProps {
  /** Present when editing. */
  ticket?: Pick<Ticket, 'id' | 'title' | 'price'>;
}

/** Creates a ticket (POST /api/tickets) or, given one, updates it (PUT /api/tickets/:id). */
export function TicketForm({ ticket }: TicketFormProps) {
  const router = useRouter();
  const { send, pending, errors } = useRequest<Ticket>(
    ticket ? 'PUT' : 'POST',
    ticket ? `/api/tickets/${ticket.id}` : '/api/tickets',
    FIELDS,
  );
  const [title, setTitle] = useState(ticket?.title ?? '');
  const [price, setPrice] = useState(ticket ? ticket.price.toFixed(2) : '');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send({ title, price: toPrice(price) });
    if (!result.ok) return;
    router.push(`/tickets/${result.data.id}`);
    router.refresh();
  }

  function tidyPrice() {
    const value = toPrice(price);
    if (typeof value === 'number' && Number.isFinite(value)) setPrice(value.toFixed(2));
  }

  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate>
      <Field
        id="title"
        label="Title"
        testId="ticket-title"
        placeholder="e.g. Concert, front row"
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={errors.field('title')}
        maxLength={200}
        required
      />
      <Field
        id="price"
        label="Price (USD)"
        testId="ticket-price"
        inputMode="decimal"
        placeholder="0.00"
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        onBlur={tidyPrice}
        error={errors.field('price')}
        required
      />
      <FormErrors messages={errors.general} />
      <button type="submit" className="button button-primary button-block" disabled={pending} data-testid="ticket-submit">
        {pending ? 'Saving…' : ticket ? 'Save changes' : 'List ticket'}
      </button>
    </form>
  );
}
