import type { MyListing, Ticket as TicketJSON } from '@ticketing/common/api';
import { soldUnitsOf } from '../models/sold-order';
import { heldUnits, sellerPage, TicketDoc } from '../models/ticket';

/** The listing with its units split: sold (its holds paid for), held (the rest of its holds), and `available` left. */
const withUnits = (ticket: TicketDoc, soldUnits: Map<string, number>): MyListing => {
  const sold = ticket.holds.reduce((units, hold) => units + (soldUnits.get(hold.orderId) ?? 0), 0);
  return { ...ticket.toJSON<TicketJSON>(), held: heldUnits(ticket) - sold, sold };
};

/** A page of the seller's listings (`limit` + 1 read, to tell whether another page follows), with their units. */
export const myListingsPage = async (userId: string, limit: number, cursor?: string): Promise<MyListing[]> => {
  const tickets = await sellerPage(userId, limit, cursor);
  const soldUnits = await soldUnitsOf(tickets.flatMap((ticket) => ticket.holds.map((hold) => hold.orderId)));
  return tickets.map((ticket) => withUnits(ticket, soldUnits));
};
