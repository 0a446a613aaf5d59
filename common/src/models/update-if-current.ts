import type { Model, QueryFilter, Types, UpdateQuery } from 'mongoose';
import { BadRequestError } from '../errors/bad-request-error';
import type { HasOutbox, OutboxEntry } from '../outbox/outbox';

/** The version a document had when it was read. */
export interface ReadVersion {
  _id: Types.ObjectId | string;
  version: number;
}

export interface VersionedChange<T> {
  /** The change itself ($set, $unset, ...); the version bump is added to it. */
  update?: UpdateQuery<T>;
  /** The event describing the new version, stored in the same write. */
  event?: OutboxEntry;
  /** Conditions the document must still meet besides its version. */
  where?: QueryFilter<T>;
}

/**
 * Compare-and-set on `version`: applies the change only if the document is still
 * at the version that was read, bumps the version and queues the event, all in one
 * document write. Resolves to the new document, or null when another write came first.
 */
export const updateIfCurrent = <T extends HasOutbox & { version: number }>(
  model: Model<T>,
  read: ReadVersion,
  { update = {}, event, where = {} }: VersionedChange<T>,
) => {
  const push = { ...update.$push, ...(event && { outbox: event }) };
  return model.findOneAndUpdate(
    { ...where, _id: read._id, version: read.version },
    {
      ...update,
      $inc: { ...update.$inc, version: 1 },
      ...(Object.keys(push).length > 0 && { $push: push }),
    },
    { returnDocument: 'after' },
  );
};

/** A compare-and-set kept losing to other writes; the caller may simply try again. */
export class ConcurrentChangeError extends BadRequestError {
  constructor() {
    super('The record was changed at the same time; please try again');
  }
}

/** The longest wait before the n-th try again: 5, 10, 20, 40 ms... */
const CONFLICT_BACKOFF_MS = 5;

/**
 * Reads, decides and writes again for as long as the write loses a race, up to `maxAttempts` times;
 * `attempt` resolves null when its compare-and-set found a newer version. Each retry waits a random
 * part of a doubling interval, so that writers that collided once do not collide again in step.
 */
export const retryOnConflict = async <R>(attempt: () => Promise<R | null>, maxAttempts = 5): Promise<R> => {
  for (let tries = 0; tries < maxAttempts; tries++) {
    if (tries > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * CONFLICT_BACKOFF_MS * 2 ** (tries - 1)));
    const result = await attempt();
    if (result !== null) return result;
  }
  throw new ConcurrentChangeError();
};
