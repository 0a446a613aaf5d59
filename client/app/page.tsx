import Link from 'next/link';
import type { Ticket } from '@ticketing/common/api';
import { Availability } from '@/components/Availability';
import { ErrorState } from '@/components/ErrorState';
import { LiveRefresh } from '@/components/LiveRefresh';
import { serverFetch } from '@/lib/api';
import { formatDateTime, formatPrice } from '@/lib/format';
import { getCurrentUser } from '@/lib/session';

const PAGE_SIZE = 12;

/** Whether a listing's sale is still to open, as of this render. */
const upcoming = (onSaleAt: string | null): onSaleAt is string => onSaleAt !== null && Date.parse(onSaleAt) > Date.now();

interface HomeProps {
  searchParams: Promise<{ cursor?: string | string[] }>;
}

export default async function Home({ searchParams }: HomeProps) {
  const { cursor } = await searchParams;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (typeof cursor === 'string' && cursor) query.set('cursor', cursor);

  const [tickets, user] = await Promise.all([serverFetch<Ticket[]>(`/api/tickets?${query}`), getCurrentUser()]);
  if (!tickets.ok) {
    return <ErrorState title="Tickets are unavailable right now" errors={tickets.errors} action={{ href: '/', label: 'Try again' }} />;
  }

  const nextCursor = tickets.headers.get('x-next-cursor');
  const signedIn = user.ok && user.data !== null;

  return (
    <>
      <LiveRefresh ticketIds={tickets.data.map((ticket) => ticket.id)} newListings={!cursor} />
      <section className="page-heading">
        <div>
          <h1>Tickets for sale</h1>
          <p className="muted">Reserve one and it is held for you while you pay.</p>
        </div>
        <Link href={signedIn ? '/tickets/new' : '/auth/signin?next=%2Ftickets%2Fnew'} className="button button-primary">
          Sell a ticket
        </Link>
      </section>

      {tickets.data.length === 0 ? (
        <section className="card empty-state" data-testid="tickets-empty">
          <h2>{cursor ? 'No more tickets' : 'No tickets for sale yet'}</h2>
          <p className="muted">{cursor ? 'You have reached the end of the list.' : 'Be the first to list one.'}</p>
          {cursor && (
            <Link href="/" className="button button-secondary">
              Back to the first page
            </Link>
          )}
        </section>
      ) : (
        <ul className="ticket-grid" data-testid="ticket-list">
          {tickets.data.map((ticket) => (
            <li key={ticket.id} className="card ticket-card" data-testid="ticket-card">
              <h2 className="ticket-card-title">{ticket.title}</h2>
              <p className="price">{formatPrice(ticket.price)}</p>
              <Availability ticket={ticket} />
              {upcoming(ticket.onSaleAt) && (
                <p className="muted ticket-card-note" data-testid="ticket-on-sale-at">
                  On sale from {formatDateTime(ticket.onSaleAt)}
                </p>
              )}
              <Link href={`/tickets/${ticket.id}`} className="button button-secondary button-block" data-testid="ticket-link">
                View ticket
              </Link>
            </li>
          ))}
        </ul>
      )}

      {(cursor || nextCursor) && (
        <nav className="pager" aria-label="Pages">
          {cursor ? (
            <Link href="/" className="button button-ghost" data-testid="first-page">
              ← First page
            </Link>
          ) : (
            <span />
          )}
          {nextCursor && (
            <Link href={`/?cursor=${encodeURIComponent(nextCursor)}`} className="button button-secondary" data-testid="next-page">
              Next page →
            </Link>
          )}
        </nav>
      )}
    </>
  );
}
