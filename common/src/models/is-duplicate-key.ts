/** A write refused by a unique index (MongoDB error 11000). */
export const isDuplicateKey = (err: unknown) => (err as { code?: unknown })?.code === 11000;
