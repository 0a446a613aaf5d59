import type { ListingFields } from '@ticketing/common';

/** A listing's waiting-room rules from its event; null when it has no waiting room. */
export const listingRulesOf = ({ waitingRoom, onSaleAt }: ListingFields): { activeBuyers: number; onSaleAt: number } | null => {
  if (!waitingRoom) return null;
  const opensAt = onSaleAt ? Date.parse(onSaleAt) : 0;
  return { activeBuyers: waitingRoom.activeBuyers, onSaleAt: Number.isNaN(opensAt) ? 0 : opensAt };
};
