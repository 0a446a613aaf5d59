import { InvalidMessageError, isDuplicateKey, PaymentAmount, SaleItem } from '@ticketing/common';
import { Balance, BalanceFields } from '../models/balance';
import { Entry, EntryFields, EntryKind } from '../models/entry';

export interface LedgerEvent extends PaymentAmount, SaleItem {
  /** The event's own key, `<subject>:<paymentId>`: one entry per event, however often it arrives. */
  key: string;
  kind: EntryKind;
  paymentId: string;
  orderId: string;
}

const signed = (kind: EntryKind, amountCents: number) => (kind === EntryKind.Sale ? amountCents : -amountCents);

const checkAmount = ({ key, amountCents, sellerId }: LedgerEvent) => {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0)
    throw new InvalidMessageError(`${key}: amountCents must be a positive whole number of cents`);
  if (!sellerId) throw new InvalidMessageError(`${key}: no sellerId`);
};

/** The seller's last place in the ledger, 0 for none (an index lookup on {sellerId, seq}). */
const lastSeq = async (sellerId: string): Promise<number> => {
  const last = await Entry.findOne({ sellerId }).sort({ seq: -1 }).select('seq').lean<Pick<EntryFields, 'seq'>>();
  return last?.seq ?? 0;
};

/** Stores the event's entry at the end of its seller's ledger, unless it is there already. */
const appendEntry = async (event: LedgerEvent): Promise<void> => {
  for (;;) {
    if (await Entry.exists({ _id: event.key })) return;
    try {
      await Entry.create({
        _id: event.key,
        sellerId: event.sellerId,
        seq: (await lastSeq(event.sellerId)) + 1,
        kind: event.kind,
        amountCents: signed(event.kind, event.amountCents),
        currency: event.currency,
        paymentId: event.paymentId,
        orderId: event.orderId,
        ...(event.ticket && { ticket: event.ticket }),
        ...(event.quantity !== undefined && { quantity: event.quantity }),
      });
      return;
    } catch (err) {
      // Either this event's entry was stored meanwhile, or another entry took the place: look again.
      if (!isDuplicateKey(err)) throw err;
    }
  }
};

const openBalance = async (sellerId: string, currency: string): Promise<BalanceFields> => {
  try {
    await Balance.create({ _id: sellerId, seq: 0, balanceCents: 0, currency, updatedAt: new Date() });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const balance = await Balance.findById(sellerId).lean<BalanceFields>();
  if (!balance) throw new Error(`balance of ${sellerId} vanished`);
  return balance;
};

/**
 * Adds the seller's entries the balance does not hold yet, one at a time in ledger order.
 *
 * FerretDB has no transactions, so the entry and the balance are two writes. The entry is the
 * idempotency gate; the balance records how many entries it holds (`seq`), and each step is a
 * compare-and-set from seq N-1 to N with N's amount. Whichever process or redelivery takes a step,
 * it happens once, and an entry stored by a process that died before the balance write is added by
 * the next fold of that seller: nothing is counted twice or lost.
 */
export const foldLedger = async (sellerId: string, currency: string): Promise<void> => {
  let balance = (await Balance.findById(sellerId).lean<BalanceFields>()) ?? (await openBalance(sellerId, currency));
  for (;;) {
    const next = await Entry.findOne({ sellerId, seq: balance.seq + 1 }).lean<EntryFields>();
    if (!next) return;
    if (next.currency !== balance.currency) throw new InvalidMessageError(`${next._id}: ${next.currency} on a ${balance.currency} balance`);
    await Balance.updateOne(
      { _id: sellerId, seq: balance.seq },
      { $inc: { balanceCents: next.amountCents }, $set: { seq: next.seq, updatedAt: new Date() } },
    );
    const now = await Balance.findById(sellerId).lean<BalanceFields>();
    if (!now) throw new Error(`balance of ${sellerId} vanished`);
    balance = now;
  }
};

/** The event's entry in the ledger and in its seller's balance, once. */
export const recordLedgerEvent = async (event: LedgerEvent): Promise<void> => {
  checkAmount(event);
  await appendEntry(event);
  await foldLedger(event.sellerId, event.currency);
};
