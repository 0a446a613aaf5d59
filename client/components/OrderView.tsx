'use client';

import Link from 'next/link';
import { useEffect, useRef, useState } from 'react';
import type { Order } from '@ticketing/common/api';
import { formatCents, formatPrice } from '@/lib/format';
import { useLive, useLiveStatus } from '@/lib/use-live';
import { request } from '@/lib/use-request';
import { Countdown, useNow } from './Countdown';
import { CancelOrderButton } from './CancelOrderButton';
import { PaymentForm } from './PaymentForm';
import { StatusBadge } from './StatusBadge';

const POLL_INTERVAL_MS = 1500;
const POLL_ATTEMPTS = 20;

const isOpen = (order: Order) => order.status === 'created';

/**
 * Re-reads the order while `waiting` holds, to pick up what other services do to it after the fact
 * (the payment completing it, expiry cancelling it). Gives up after a while rather than polling forever.
 */
function useOrderRefresh(order: Order, setOrder: (order: Order) => void, waiting: boolean) {
  useEffect(() => {
    if (!waiting) return;
    let attempts = 0;
    const poll = async () => {
      attempts += 1;
      if (attempts > POLL_ATTEMPTS) return clearInterval(timer);
      const result = await request<Order>('GET', `/api/orders/${order.id}`);
      if (result.ok && result.data.status !== order.status) setOrder(result.data);
    };
    const timer = setInterval(() => void poll(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [order.id, order.status, setOrder, waiting]);
}

/**
 * The order's status the moment it changes, pushed over the live socket; re-read after the socket was down, and on
 * a cancellation, whose push does not say why (expired, cancelled or rejected).
 */
function useLiveOrder(order: Order, setOrder: (order: Order) => void) {
  const reload = () => void request<Order>('GET', `/api/orders/${order.id}`).then((result) => result.ok && setOrder(result.data));
  useLive((message) => {
    if (message.type !== 'order:changed' || message.data.id !== order.id) return;
    if (message.data.status === 'cancelled') reload();
    else setOrder({ ...order, status: message.data.status });
  }, reload);
}

interface OrderViewProps {
  initialOrder: Order;
  stripeKey?: string;
}

/** One order: what it is for, its status, and, while it is open, the time left, the payment form and a way to cancel. */
export function OrderView({ initialOrder, stripeKey }: OrderViewProps) {
  const [order, setOrder] = useState(initialOrder);
  const [paid, setPaid] = useState(initialOrder.status === 'complete');
  // Paid or cancelled while on this page (by its forms or a live update): the forms are replaced by the outcome.
  const formsReplaced = isOpen(initialOrder);
  const now = useNow(isOpen(order) && !paid);
  const msLeft = now === null ? null : Date.parse(order.expiresAt) - now;
  const expired = msLeft !== null && msLeft <= 0;

  useLiveOrder(order, setOrder);
  // Polling only as the fallback, when the live socket is not open.
  const live = useLiveStatus() === 'open';
  useOrderRefresh(order, setOrder, isOpen(order) && (paid || expired) && !live);

  return (
    <article className="card order-card">
      <header className="order-header">
        <div className="order-header-top">
          <p className="eyebrow">Order</p>
          <StatusBadge order={order} testId="order-status" />
        </div>
        <h1 data-testid="order-ticket-title">{order.ticket.title}</h1>
        <p className="price" data-testid="order-price">
          {formatPrice(order.price)}
          {order.quantity > 1 && <span className="muted order-each"> each</span>}
        </p>
        <dl className="order-summary">
          <div>
            <dt>Tickets</dt>
            <dd data-testid="order-quantity">{order.quantity}</dd>
          </div>
          <div>
            <dt>Total</dt>
            <dd data-testid="order-total" data-cents={order.totalCents}>
              {formatCents(order.totalCents, 'usd')}
            </dd>
          </div>
        </dl>
      </header>

      {paid || order.status === 'complete' ? (
        <Paid quantity={order.quantity} takeFocus={formsReplaced} />
      ) : order.status === 'cancelled' ? (
        <Cancelled order={order} takeFocus={formsReplaced} />
      ) : (
        <>
          <Countdown msLeft={msLeft} />
          {expired ? (
            <p className="muted">
              The reservation ran out before payment, so the ticket is back on sale.{' '}
              <Link href={`/tickets/${order.ticket.id}`}>See the ticket</Link>
            </p>
          ) : (
            <>
              <PaymentForm orderId={order.id} totalCents={order.totalCents} stripeKey={stripeKey} onPaid={() => setPaid(true)} />
              <CancelOrderButton
                orderId={order.id}
                onCancelled={() => setOrder({ ...order, status: 'cancelled', cancelReason: 'buyer' })}
              />
            </>
          )}
        </>
      )}
    </article>
  );
}

/** A ref that focuses its element when it replaced a form whose control had focus (which then dropped to <body>). */
function useTakeFocus(replacedForm: boolean) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const focusLost = document.activeElement === null || document.activeElement === document.body;
    if (replacedForm && focusLost) ref.current?.focus();
  }, [replacedForm]);
  return ref;
}

function Paid({ quantity, takeFocus }: { quantity: number; takeFocus: boolean }) {
  const ref = useTakeFocus(takeFocus);
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-success" role="status" data-testid="payment-success">
      <strong>Paid</strong>
      <span>Thanks for your purchase — {quantity > 1 ? `the ${quantity} tickets are yours` : 'the ticket is yours'}.</span>
      <Link href="/orders" data-testid="my-orders-link">
        View my orders
      </Link>
    </div>
  );
}

const CANCELLED_BECAUSE = {
  expired: { title: 'This order expired', detail: 'It was not paid in time, so the ticket went back on sale.' },
  rejected: { title: 'This order was cancelled', detail: 'The seller changed the listing while it was being placed.' },
  buyer: { title: 'This order was cancelled', detail: 'The ticket was released and may still be available.' },
};

function Cancelled({ order, takeFocus }: { order: Order; takeFocus: boolean }) {
  const { title, detail } = CANCELLED_BECAUSE[order.cancelReason ?? 'buyer'];
  const ref = useTakeFocus(takeFocus);
  return (
    <div ref={ref} tabIndex={-1} className="alert alert-neutral" role="status" data-testid="order-cancelled">
      <strong>{title}</strong>
      <span>{detail}</span>
      <Link href={`/tickets/${order.ticket.id}`}>See the ticket</Link>
    </div>
  );
}
