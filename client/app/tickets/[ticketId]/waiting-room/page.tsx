import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import type { QueueStatus } from '@ticketing/common/api';
import { ErrorState } from '@/components/ErrorState';
import { WaitingRoom } from '@/components/WaitingRoom';
import { serverFetch } from '@/lib/api';
import { getTicket } from '@/lib/queries';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Waiting room' };

interface WaitingRoomPageProps {
  params: Promise<{ ticketId: string }>;
}

export default async function WaitingRoomPage({ params }: WaitingRoomPageProps) {
  const { ticketId } = await params;
  const user = await requireUser(`/tickets/${ticketId}/waiting-room`);
  if (!user.ok) return <ErrorState title="The waiting room is unavailable right now" errors={user.errors} />;

  const ticket = await getTicket(ticketId);
  if (!ticket.ok && ticket.status === 404) notFound();
  if (!ticket.ok) return <ErrorState title="This ticket could not be loaded" errors={ticket.errors} />;
  // Without a waiting room, the ticket's own page sells it.
  if (!ticket.data.waitingRoom) redirect(`/tickets/${ticketId}`);

  // The queue service may not know the listing yet (it hears of it by event): the page then starts empty and polls.
  const status = await serverFetch<QueueStatus>(`/api/queue/${encodeURIComponent(ticketId)}/me`);

  return (
    <div className="narrow">
      {/* No LiveRefresh here: in a rush every order changes the listing, and each change would re-render every waiting page
          on the server; the waiting room follows what is left in the browser instead. */}
      <article className="card waiting-room-card">
        <p className="eyebrow">Waiting room</p>
        <h1 data-testid="waiting-room-title">{ticket.data.title}</h1>
        <WaitingRoom ticket={ticket.data} initialStatus={status.ok ? status.data : null} />
      </article>
      <p className="back-link">
        <Link href={`/tickets/${ticketId}`}>← Back to the ticket</Link>
      </p>
    </div>
  );
}
