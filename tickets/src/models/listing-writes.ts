import AsyncLock from 'async-lock';

const locks = new AsyncLock({ maxPending: Infinity });

/**
 * Runs one read-decide-write of a listing after this process's earlier ones on the same listing: in a rush,
 * sixteen holds at a time on one listing document would otherwise lose their compare-and-sets to each other
 * until they gave up and waited out a redelivery. Other processes' writes still race, and retryOnConflict wins those.
 */
export const oneWriteAtATime = <T>(ticketId: string, write: () => Promise<T>): Promise<T> => locks.acquire(ticketId, write);
