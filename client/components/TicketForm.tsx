'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import type { Ticket } from '@ticketing/common/api';
import { useRequest } from '@/lib/use-request';
import { useHydrated } from './Countdown';
import { CountField, Field } from './Field';
import { FormErrors } from './FormErrors';

const DEFAULT_ACTIVE_BUYERS = '50';
const DEFAULT_LIMIT_PER_BUYER = 4;
const LOCKED_HINT = 'Locked: some of these tickets are reserved or sold.';

/** A decimal the user typed becomes a number; anything else goes as typed, so the API's validation message is the one shown. */
const toPrice = (text: string): number | string => (/^\d+(\.\d+)?$/.test(text.trim()) ? Number(text.trim()) : text.trim());

/** The same for whole numbers (quantity, buyers at once). */
const toCount = (text: string): number | string => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : text.trim());

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO timestamp as a datetime-local value, in the reader's own time zone. */
const toLocalInput = (iso: string): string => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};

/** A datetime-local value (local time) as ISO; empty means on sale now; anything unreadable goes as typed, for the API to refuse. */
const toOnSaleAt = (text: string): string | null => {
  if (!text.trim()) return null;
  const time = new Date(text);
  return Number.isNaN(time.getTime()) ? text : time.toISOString();
};

interface TicketFormProps {
  /** Present when editing. */
  ticket?: Pick<Ticket, 'id' | 'title' | 'price' | 'quantity' | 'available' | 'onSaleAt' | 'waitingRoom' | 'limitPerBuyer'>;
}

/** Creates a listing (POST /api/tickets) or, given one, updates it (PUT /api/tickets/:id). */
export function TicketForm({ ticket }: TicketFormProps) {
  const router = useRouter();
  const [title, setTitle] = useState(ticket?.title ?? '');
  const [price, setPrice] = useState(ticket ? ticket.price.toFixed(2) : '');
  const [quantity, setQuantity] = useState(String(ticket?.quantity ?? 1));
  const [limitPerBuyer, setLimitPerBuyer] = useState(String(ticket?.limitPerBuyer ?? DEFAULT_LIMIT_PER_BUYER));
  // null until edited: the listing's own time is shown in the reader's zone, which only the browser knows.
  const [onSaleText, setOnSaleText] = useState<string | null>(ticket?.onSaleAt ? null : '');
  const [hasWaitingRoom, setHasWaitingRoom] = useState(Boolean(ticket?.waitingRoom));
  const [activeBuyers, setActiveBuyers] = useState(String(ticket?.waitingRoom?.activeBuyers ?? DEFAULT_ACTIVE_BUYERS));
  // Units held (reserved or sold): the API refuses a new price or quantity, so the form does not offer one.
  const locked = ticket !== undefined && ticket.available < ticket.quantity;
  const hydrated = useHydrated();
  const onSaleValue = onSaleText ?? (hydrated && ticket?.onSaleAt ? toLocalInput(ticket.onSaleAt) : '');

  const fields = [
    'title',
    'price',
    'quantity',
    'limitPerBuyer',
    'onSaleAt',
    ...(hasWaitingRoom ? ['waitingRoom', 'waitingRoom.activeBuyers'] : []),
  ];
  const { send, pending, errors } = useRequest<Ticket>(
    ticket ? 'PUT' : 'POST',
    ticket ? `/api/tickets/${ticket.id}` : '/api/tickets',
    fields,
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await send({
      title,
      price: toPrice(price),
      quantity: toCount(quantity),
      limitPerBuyer: toCount(limitPerBuyer),
      onSaleAt: toOnSaleAt(onSaleValue),
      waitingRoom: hasWaitingRoom ? { activeBuyers: toCount(activeBuyers) } : null,
    });
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
        label="Price per ticket (USD)"
        testId="ticket-price"
        inputMode="decimal"
        placeholder="0.00"
        value={price}
        onChange={(e) => setPrice(e.target.value)}
        onBlur={tidyPrice}
        error={errors.field('price')}
        disabled={locked}
        hint={locked ? LOCKED_HINT : undefined}
        required
      />
      <CountField
        id="quantity"
        label="Tickets for sale"
        testId="ticket-quantity"
        min={1}
        max={10_000}
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        error={errors.field('quantity')}
        disabled={locked}
        hint={locked ? LOCKED_HINT : '1 to 10,000. Buyers take up to 4 per order.'}
        required
      />
      <CountField
        id="limitPerBuyer"
        label="Most tickets one buyer may hold"
        testId="ticket-limit-per-buyer"
        min={1}
        max={10}
        value={limitPerBuyer}
        onChange={(e) => setLimitPerBuyer(e.target.value)}
        error={errors.field('limitPerBuyer')}
        hint="1 to 10, across all of a buyer's open and paid orders."
        required
      />
      <Field
        id="onSaleAt"
        label="On sale from (optional)"
        testId="ticket-on-sale-at"
        type="datetime-local"
        step={1}
        value={onSaleValue}
        onChange={(e) => setOnSaleText(e.target.value)}
        error={errors.field('onSaleAt')}
        hint="Your local time. Leave it empty to put the tickets on sale straight away."
      />
      <fieldset className="fieldset">
        <legend>Waiting room</legend>
        <div className="checkbox-field">
          <input
            id="waitingRoom"
            name="waitingRoom"
            type="checkbox"
            checked={hasWaitingRoom}
            onChange={(e) => setHasWaitingRoom(e.target.checked)}
            aria-describedby="waitingRoom-hint"
            data-testid="ticket-waiting-room"
          />
          <label htmlFor="waitingRoom">Send buyers through a waiting room</label>
        </div>
        <p id="waitingRoom-hint" className="field-hint">
          For a rush: buyers line up first come, first served, and only a few at a time may order.
        </p>
        {hasWaitingRoom && (
          <CountField
            id="activeBuyers"
            label="Buyers ordering at once"
            testId="ticket-active-buyers"
            min={1}
            max={10_000}
            value={activeBuyers}
            onChange={(e) => setActiveBuyers(e.target.value)}
            error={errors.field('waitingRoom.activeBuyers') ?? errors.field('waitingRoom')}
            hint="Each gets a few minutes to place an order before the next in line has a turn."
            required
          />
        )}
      </fieldset>
      <FormErrors messages={errors.general} />
      <button type="submit" className="button button-primary button-block" disabled={pending} data-testid="ticket-submit">
        {pending ? 'Saving…' : ticket ? 'Save changes' : quantity.trim() === '1' ? 'List ticket' : 'List tickets'}
      </button>
    </form>
  );
}
