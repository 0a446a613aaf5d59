import mongoose from 'mongoose';

/** A seller's balance: the sum of their ledger's entries 1..seq. Its _id is the seller's user id. */
export interface BalanceFields {
  _id: string;
  /** How many of the seller's entries the balance holds, in ledger order. */
  seq: number;
  balanceCents: number;
  currency: string;
  updatedAt: Date;
}

const balanceSchema = new mongoose.Schema<BalanceFields>({
  _id: { type: String, required: true },
  seq: { type: Number, required: true },
  balanceCents: { type: Number, required: true },
  currency: { type: String, required: true },
  updatedAt: { type: Date, required: true },
});

export const Balance = mongoose.model<BalanceFields>('Balance', balanceSchema);

export const DEFAULT_CURRENCY = 'usd';

/** What the API shows of a seller's balance; a seller with no entry has 0, never updated. */
export const balanceView = (userId: string, balance: BalanceFields | null) => ({
  userId,
  balanceCents: balance?.balanceCents ?? 0,
  currency: balance?.currency ?? DEFAULT_CURRENCY,
  updatedAt: balance ? balance.updatedAt.toISOString() : null,
});
