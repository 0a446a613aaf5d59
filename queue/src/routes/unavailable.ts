import { logger, ServiceUnavailableError } from '@ticketing/common';

/** A Redis command that failed (Redis restarting, say) is the client's cue to retry shortly, not a 500. */
export const orUnavailable = async <T>(work: Promise<T>): Promise<T> => {
  try {
    return await work;
  } catch (err) {
    logger.error(`[queue] redis command failed: ${(err as Error).message}`);
    throw new ServiceUnavailableError('The waiting room is unavailable, try again shortly');
  }
};
