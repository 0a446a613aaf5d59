import type { Metadata } from 'next';
import Link from 'next/link';
import type { ApiError, Balance, BalanceEntry } from '@ticketing/common/api';
import { ErrorState } from '@/components/ErrorState';
import { SalesRefresh } from '@/components/SalesRefresh';
import { serverFetch } from '@/lib/api';
import { formatCents, formatDateTime, formatUnits } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'My sales' };

const ENTRIES_SHOWN = 50;

const unavailable = (errors: ApiError[]) => (
  <ErrorState title="Your sales are unavailable right now" errors={errors} action={{ href: '/sales', label: 'Try again' }} />
);

export default async function Sales() {
  const user = await requireUser('/sales');
  if (!user.ok) return unavailable(user.errors);

  const [balance, entries] = await Promise.all([
    serverFetch<Balance>('/api/balances/me'),
    serverFetch<BalanceEntry[]>(`/api/balances/me/entries?limit=${ENTRIES_SHOWN}`),
  ]);
  if (!balance.ok) return unavailable(balance.errors);
  if (!entries.ok) return unavailable(entries.errors);

  return (
    <>
      <SalesRefresh shown={entries.data.map((entry) => `${entry.kind}:${entry.orderId}` as const)} />
      <section className="page-heading">
        <div>
          <h1>My sales</h1>
          <p className="muted">What your tickets earned, sale by sale.</p>
        </div>
      </section>
      <section className="card sales-balance">
        <p className="eyebrow">Balance</p>
        <p className="sales-balance-amount" data-testid="sales-balance" data-cents={balance.data.balanceCents}>
          {formatCents(balance.data.balanceCents, balance.data.currency)}
        </p>
        {balance.data.updatedAt && <p className="muted">Last changed {formatDateTime(balance.data.updatedAt)}</p>}
      </section>
      {entries.data.length === 0 ? (
        <section className="card empty-state" data-testid="sales-empty">
          <h2>No sales yet</h2>
          <p className="muted">When someone pays for one of your tickets, it shows up here.</p>
          <Link href="/tickets/new" className="button button-primary">
            Sell a ticket
          </Link>
        </section>
      ) : (
        <ul className="order-list" data-testid="sales-list">
          {entries.data.map((entry) => (
            <li key={entry.id} className="card order-row" data-testid="sales-entry" data-kind={entry.kind} data-order-id={entry.orderId}>
              <div className="order-row-main">
                {entry.ticket ? (
                  <Link href={`/tickets/${entry.ticket.id}`} className="order-row-title" data-testid="sales-entry-title">
                    {entry.ticket.title}
                  </Link>
                ) : (
                  <span className="order-row-title" data-testid="sales-entry-title">
                    A ticket
                  </span>
                )}
                <span className="muted" data-testid="sales-entry-detail">
                  {entry.kind === 'sale' ? 'Sold' : 'Refunded'}
                  {entry.quantity !== undefined && <span data-testid="sales-entry-units"> · {formatUnits(entry.quantity)}</span>}
                  {' · '}
                  <time dateTime={entry.createdAt}>{formatDateTime(entry.createdAt)}</time>
                </span>
              </div>
              <span className={`sales-amount sales-amount-${entry.kind}`} data-testid="sales-entry-amount">
                {formatCents(entry.amountCents, entry.currency)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
