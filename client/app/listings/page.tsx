import type { Metadata } from 'next';
import Link from 'next/link';
import type { ApiError, MyListing } from '@ticketing/common/api';
import { ErrorState } from '@/components/ErrorState';
import { serverFetch } from '@/lib/api';
import { formatDateTime, formatPrice } from '@/lib/format';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'My listings' };

const PAGE_SIZE = 20;

const unavailable = (errors: ApiError[]) => (
  <ErrorState title="Your listings are unavailable right now" errors={errors} action={{ href: '/listings', label: 'Try again' }} />
);

interface ListingsProps {
  searchParams: Promise<{ cursor?: string | string[] }>;
}

/** Every listing of the signed-in seller, sold out or not, with its units left, held by unpaid orders, and sold. */
export default async function Listings({ searchParams }: ListingsProps) {
  const user = await requireUser('/listings');
  if (!user.ok) return unavailable(user.errors);

  const { cursor } = await searchParams;
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (typeof cursor === 'string' && cursor) query.set('cursor', cursor);
  const listings = await serverFetch<MyListing[]>(`/api/tickets/mine?${query}`);
  if (!listings.ok) return unavailable(listings.errors);
  const nextCursor = listings.headers.get('x-next-cursor');

  return (
    <>
      <section className="page-heading">
        <div>
          <h1>My listings</h1>
          <p className="muted">Everything you put on sale, sold out or not.</p>
        </div>
        <Link href="/tickets/new" className="button button-primary">
          Sell a ticket
        </Link>
      </section>
      {listings.data.length === 0 ? (
        <section className="card empty-state" data-testid="listings-empty">
          <h2>{cursor ? 'No more listings' : 'No listings yet'}</h2>
          <p className="muted">{cursor ? 'You have reached the end of the list.' : 'Tickets you sell show up here.'}</p>
        </section>
      ) : (
        <ul className="order-list" data-testid="listing-list">
          {listings.data.map((listing) => (
            <ListingRow key={listing.id} listing={listing} />
          ))}
        </ul>
      )}
      {nextCursor && (
        <nav className="pager" aria-label="Pages">
          <Link href={`/listings?cursor=${encodeURIComponent(nextCursor)}`} className="button button-ghost" data-testid="next-page">
            Older listings →
          </Link>
        </nav>
      )}
    </>
  );
}

function ListingRow({ listing }: { listing: MyListing }) {
  return (
    <li className="card order-row" data-testid="listing-row" data-ticket-id={listing.id}>
      <div className="order-row-main">
        <Link href={`/tickets/${listing.id}`} className="order-row-title" data-testid="listing-title">
          {listing.title}
        </Link>
        <span className="muted">
          {formatPrice(listing.price)} each · {listing.quantity} listed
        </span>
        <span className="listing-units" data-testid="listing-units">
          <span data-testid="listing-left" data-count={listing.available}>
            {listing.available} left
          </span>
          {' · '}
          <span data-testid="listing-held" data-count={listing.held}>
            {listing.held} held
          </span>
          {' · '}
          <span data-testid="listing-sold" data-count={listing.sold}>
            {listing.sold} sold
          </span>
        </span>
        {listing.onSaleAt && (
          <span className="muted" data-testid="listing-on-sale-at">
            On sale from {formatDateTime(listing.onSaleAt)}
          </span>
        )}
      </div>
      {listing.available === 0 && <span className="badge badge-cancelled">Sold out</span>}
    </li>
  );
}
