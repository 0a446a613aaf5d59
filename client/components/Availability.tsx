import type { Ticket } from '@ticketing/common/api';
import { formatAvailability } from '@/lib/format';

/**
 * How many of a multi-unit listing are left ("12 of 300 left", "Sold out"); `data-available` carries the
 * number for tests. A one-unit listing shows nothing here: its "Reserved" badge says it all.
 */
export function Availability({ ticket }: { ticket: Pick<Ticket, 'available' | 'quantity'> }) {
  if (ticket.quantity <= 1) return null;
  return (
    <p
      className={`availability${ticket.available > 0 ? '' : ' availability-sold-out'}`}
      data-testid="ticket-availability"
      data-available={ticket.available}
    >
      {formatAvailability(ticket.available, ticket.quantity)}
    </p>
  );
}
