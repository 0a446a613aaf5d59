import type { ListingFields } from '@ticketing/common';
import type { ListingSettings } from '../../services/waiting-room';

/**
 * A listing's waiting-room rules from its event; null when it has no waiting room. `available` is what no
 * open or paid order holds (tickets' view of orders' stock): at 0 nothing is left to sell until an order
 * ends unpaid, and that order's end brings a ticket:updated with the units back.
 */
export const listingRulesOf = ({ waitingRoom, onSaleAt, available }: ListingFields): ListingSettings | null => {
  if (!waitingRoom) return null;
  const opensAt = onSaleAt ? Date.parse(onSaleAt) : 0;
  return { activeBuyers: waitingRoom.activeBuyers, onSaleAt: Number.isNaN(opensAt) ? 0 : opensAt, soldOut: available <= 0 };
};
