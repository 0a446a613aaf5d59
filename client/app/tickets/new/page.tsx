import type { Metadata } from 'next';
import { ErrorState } from '@/components/ErrorState';
import { TicketForm } from '@/components/TicketForm';
import { requireUser } from '@/lib/session';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function NewTicket() {
  const user = await requireUser('/tickets/new');
  if (!user.ok) return <ErrorState title="You cannot list a ticket right now" errors={user.errors} />;

  return (
    <div className="narrow">
      <section className="card form-card">
        <h1>Sell a ticket</h1>
        <p className="muted">Give it a clear title and a fair price. Buyers see it straight away.</p>
        <TicketForm />
      </section>
    </div>
  );
}
