import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ErrorState } from '@/components/ErrorState';
import { TicketForm } from '@/components/TicketForm';
import { getTicket } from '@/lib/queries';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Edit ticket' };

interface EditTicketProps {
  params: Promise<{ ticketId: string }>;
}

export default async function EditTicket({ params }: EditTicketProps) {
  const { ticketId } = await params;
  const user = await requireUser(`/tickets/${ticketId}/edit`);
  if (!user.ok) return <ErrorState title="This ticket cannot be edited right now" errors={user.errors} />;

  const ticket = await getTicket(ticketId);
  if (!ticket.ok && ticket.status === 404) notFound();
  if (!ticket.ok) return <ErrorState title="This ticket could not be loaded" errors={ticket.errors} />;
  if (ticket.data.userId !== user.data.id) {
    return (
      <ErrorState
        title="Only the seller can edit this ticket"
        errors={[{ message: 'You can edit the tickets you listed yourself.' }]}
        action={{ href: `/tickets/${ticket.data.id}`, label: 'Back to the ticket' }}
      />
    );
  }

  return (
    <div className="narrow">
      <section className="card form-card">
        <h1>Edit ticket</h1>
        {ticket.data.available < ticket.data.quantity && (
          <p className="alert alert-neutral" data-testid="edit-reserved-note">
            {ticket.data.quantity > 1
              ? 'Some of these tickets are reserved or sold, so their price and number cannot change.'
              : 'This ticket is reserved by a buyer, so it cannot be changed until the order is paid or released.'}
          </p>
        )}
        <TicketForm ticket={ticket.data} />
      </section>
      <p className="back-link">
        <Link href={`/tickets/${ticket.data.id}`}>← Back to the ticket</Link>
      </p>
    </div>
  );
}
