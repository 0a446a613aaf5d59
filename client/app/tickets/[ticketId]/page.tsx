import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { CurrentUser, Ticket } from '@ticketing/common/api';
import { Availability } from '@/components/Availability';
import { ErrorState } from '@/components/ErrorState';
import { JoinQueueButton } from '@/components/JoinQueueButton';
import { LiveRefresh } from '@/components/LiveRefresh';
import { OnSaleGate } from '@/components/OnSaleGate';
import { OrderForm } from '@/components/OrderForm';
import { formatPrice } from '@/lib/format';
import { getTicket } from '@/lib/queries';
import { getCurrentUser } from '@/lib/session';

interface TicketPageProps {
  params: Promise<{ ticketId: string }>;
}

/** A one-unit listing whose unit an order holds (reserved or sold): shown as "Reserved" rather than by count. */
const isReservedSingle = (ticket: Ticket) => ticket.quantity <= 1 && ticket.available <= 0;

export async function generateMetadata({ params }: TicketPageProps): Promise<Metadata> {
  const ticket = await getTicket((await params).ticketId);
  return { title: ticket.ok ? ticket.data.title : 'Ticket' };
}

export default async function TicketPage({ params }: TicketPageProps) {
  const { ticketId } = await params;
  const [ticket, user] = await Promise.all([getTicket(ticketId), getCurrentUser()]);
  if (!ticket.ok && ticket.status === 404) notFound();
  if (!ticket.ok) return <ErrorState title="This ticket could not be loaded" errors={ticket.errors} />;

  const { title, price, waitingRoom, limitPerBuyer } = ticket.data;
  return (
    <div className="narrow">
      <LiveRefresh ticketIds={[ticketId]} />
      <article className="card ticket-detail">
        <p className="eyebrow">Ticket</p>
        <h1 data-testid="ticket-detail-title">{title}</h1>
        <p className="price price-large" data-testid="ticket-detail-price">
          {formatPrice(price)}
        </p>
        <Availability ticket={ticket.data} />
        {isReservedSingle(ticket.data) && (
          <p className="badge badge-created" data-testid="ticket-reserved">
            Reserved
          </p>
        )}
        <p className="muted" data-testid="ticket-limit-per-buyer">
          {limitPerBuyer === 1 ? 'One ticket per buyer.' : `Up to ${limitPerBuyer} tickets per buyer.`}
        </p>
        {waitingRoom && (
          <p className="muted" data-testid="ticket-waiting-room">
            A waiting room lets {waitingRoom.activeBuyers === 1 ? 'one buyer' : `${waitingRoom.activeBuyers} buyers`} at a time choose and
            pay; everyone else waits their turn in line.
          </p>
        )}
        <TicketActions ticket={ticket.data} user={user.ok ? user.data : null} />
      </article>
      <p className="back-link">
        <Link href="/">← All tickets</Link>
      </p>
    </div>
  );
}

/**
 * What the visitor can do with the ticket: its owner edits it; anyone else signed in buys it while units are
 * left, once it is on sale, through the waiting room if it has one.
 */
function TicketActions({ ticket, user }: { ticket: Ticket; user: CurrentUser | null }) {
  if (!user) {
    return (
      <Link
        href={`/auth/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}
        className="button button-primary button-large"
        data-testid="signin-to-buy"
      >
        Sign in to buy
      </Link>
    );
  }
  if (user.id === ticket.userId) {
    return (
      <div className="stack">
        <p className="muted">You are selling this ticket.</p>
        <Link href={`/tickets/${ticket.id}/edit`} className="button button-secondary button-large" data-testid="edit-link">
          Edit ticket
        </Link>
      </div>
    );
  }
  if (isReservedSingle(ticket)) {
    return <p className="muted">Someone is paying for this ticket right now. If they do not finish in time, it goes back on sale.</p>;
  }
  if (ticket.available <= 0) {
    return <p className="muted">Every ticket is reserved or sold. Any that are not paid for in time go back on sale.</p>;
  }
  return (
    <OnSaleGate onSaleAt={ticket.onSaleAt} openEarly={ticket.waitingRoom !== null}>
      {ticket.waitingRoom ? <JoinQueueButton ticketId={ticket.id} /> : <OrderForm ticket={ticket} />}
    </OnSaleGate>
  );
}
