import mongoose from 'mongoose';

/**
 * One step of a listing's stock: entry `seq` of listing `ticketId`, under `_id` `<ticketId>:<seq>`,
 * holds `held` units after applying `change` (+q for a hold, −q for a release). Appending step N+1
 * is an insert, so two writers that both read step N race on the unique `_id`: exactly one wins,
 * on any MongoDB-wire server and on any number of connections (SQLite enforces the index itself;
 * FerretDB's conditional updates are a read and a write another connection can slip between).
 * `op` (`hold:<orderId>`, `release:<orderId>`) is unique too, so no order holds or releases twice.
 */
export interface StockEntryFields {
  _id: string;
  ticketId: string;
  seq: number;
  held: number;
  change: number;
  kind: StockEntryKind;
  orderId: string;
  op: string;
  /** A hold whose order the repair pass has found stored: never looked at again. */
  checked?: boolean;
  createdAt: Date;
}

export type StockEntryKind = 'hold' | 'release';

export const stockEntrySchema = new mongoose.Schema<StockEntryFields>(
  {
    _id: { type: String, required: true },
    ticketId: { type: String, required: true },
    seq: { type: Number, required: true },
    held: { type: Number, required: true, min: 0 },
    change: { type: Number, required: true },
    kind: { type: String, required: true, enum: ['hold', 'release'] },
    orderId: { type: String, required: true },
    op: { type: String, required: true, unique: true },
    checked: { type: Boolean },
    createdAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);
// The repair pass looks for holds it has not checked yet.
stockEntrySchema.index({ kind: 1, checked: 1, createdAt: 1 });

export const StockEntry = mongoose.model<StockEntryFields>('StockEntry', stockEntrySchema);

export const stockEntryId = (ticketId: string, seq: number) => `${ticketId}:${seq}`;
export const holdOp = (orderId: string) => `hold:${orderId}`;
export const releaseOp = (orderId: string) => `release:${orderId}`;
