import type { Metadata } from 'next';
import Link from 'next/link';
import type { Order } from '@ticketing/common/api';
import { ErrorState } from '@/components/ErrorState';
import { StatusBadge } from '@/components/StatusBadge';
import { serverFetch } from '@/lib/api';
import { formatCents, formatPrice } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'My orders' };

export default async function Orders() {
  const user = await requireUser('/orders');
  if (!user.ok)
    return (
      <ErrorState title="Your orders are unavailable right now" errors={user.errors} action={{ href: '/orders', label: 'Try again' }} />
    );

  const orders = await serverFetch<Order[]>('/api/orders');
  if (!orders.ok)
    return (
      <ErrorState title="Your orders are unavailable right now" errors={orders.errors} action={{ href: '/orders', label: 'Try again' }} />
    );

  return (
    <>
      <section className="page-heading">
        <div>
          <h1>My orders</h1>
          <p className="muted">Every ticket you reserved, paid for or let go.</p>
        </div>
      </section>
      {orders.data.length === 0 ? (
        <section className="card empty-state" data-testid="orders-empty">
          <h2>No orders yet</h2>
          <p className="muted">When you buy a ticket, it shows up here.</p>
          <Link href="/" className="button button-primary">
            Browse tickets
          </Link>
        </section>
      ) : (
        <ul className="order-list" data-testid="order-list">
          {orders.data.map((order) => (
            <li key={order.id} className="card order-row" data-testid="order-row">
              <div className="order-row-main">
                <Link href={`/orders/${order.id}`} className="order-row-title" data-testid="order-link">
                  {order.ticket.title}
                </Link>
                <span className="muted" data-testid="order-row-amount">
                  {order.quantity > 1
                    ? `${order.quantity} × ${formatPrice(order.price)} = ${formatCents(order.totalCents, 'usd')}`
                    : formatCents(order.totalCents, 'usd')}
                </span>
              </div>
              <StatusBadge order={order} testId="order-row-status" />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
