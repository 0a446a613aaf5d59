import { Model } from 'mongoose';
import { InvalidMessageError } from '../errors/invalid-message-error';
import { isDuplicateKey } from '../models/is-duplicate-key';

/** The event is newer than the next one expected; left for redelivery, and parked if its predecessor never comes. */
export class OutOfOrderEventError extends InvalidMessageError {
  constructor(model: string, id: string, version: number) {
    super(`${model} ${id}: version ${version} arrived before version ${version - 1}`);
  }
}

export type ApplyResult = 'applied' | 'duplicate';

interface Versioned {
  version: number;
}

/** Applies version N of a replicated record only on top of version N-1; older versions are duplicates. */
export const applyVersion = async <T extends Versioned>(
  model: Model<T>,
  id: string,
  version: number,
  changes: Record<string, unknown>,
): Promise<ApplyResult> => {
  const result = await model.updateOne({ _id: id, version: version - 1 }, { $set: { ...changes, version } });
  if (result.matchedCount === 1) return 'applied';
  const current = await model.findById(id).select('version').lean<Versioned>();
  if (current && current.version >= version) return 'duplicate';
  throw new OutOfOrderEventError(model.modelName, id, version);
};

/**
 * Applies a final change (a cancellation) on top of any older version: nothing can follow it, and the
 * versions it skips changed nothing this replica keeps (payments is not told of a completion, say).
 * A record never seen created is still out of order.
 */
export const applyFinalVersion = async <T extends Versioned>(
  model: Model<T>,
  id: string,
  version: number,
  changes: Record<string, unknown>,
): Promise<ApplyResult> => {
  const result = await model.updateOne({ _id: id, version: { $lt: version } }, { $set: { ...changes, version } });
  if (result.matchedCount === 1) return 'applied';
  if (await model.exists({ _id: id })) return 'duplicate';
  throw new OutOfOrderEventError(model.modelName, id, version);
};

/** Inserts the first version of a replicated record; inserting it again is a harmless duplicate. */
export const insertReplica = async <T>(model: Model<T>, doc: Partial<T> & { _id: string }): Promise<ApplyResult> => {
  try {
    await model.create(doc);
    return 'applied';
  } catch (err) {
    if (isDuplicateKey(err)) return 'duplicate';
    throw err;
  }
};
