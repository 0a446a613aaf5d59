import mongoose from 'mongoose';
import { StockEntryFields, stockEntrySchema } from './stock-entry';

/**
 * One step of a buyer's units on one listing, kept like the listing's stock (the same chain, its own
 * collection): the chain's key, in `ticketId`, is `<ticketId>/<userId>` (buyerKey), its capacity the
 * listing's limitPerBuyer. A hold appends `hold:<orderId>`, the order's end `release:<orderId>`.
 */
export const BuyerEntry = mongoose.model<StockEntryFields>('BuyerEntry', stockEntrySchema, 'buyerentries');

/** The chain of one buyer's units on one listing. */
export const buyerKey = (ticketId: string, userId: string) => `${ticketId}/${userId}`;
