import type { DeadLetterEvent } from '../events/events';
import { Subjects } from '../events/subjects';
import type { EventBus } from './event-bus';
import { positiveIntegerFromEnv } from '../service/env';
import { logger } from '../observability/logger';

let parked = 0;

/** Messages this process has parked since it started: /healthz shows it, so a monitor can alert on it. */
export const parkedMessageCount = (): number => parked;

/** Publishes the message and its error on the dead-letter subject, then counts and logs it; throws if the publish fails. */
export const parkDeadLetter = async (bus: EventBus, letter: DeadLetterEvent['data']): Promise<void> => {
  await bus.publish(Subjects.DeadLetter, letter);
  parked += 1;
  logger.error(
    `[deadletter] ${letter.subject} #${letter.sequence} parked for ${letter.queueGroup} after ${letter.deliveries} deliveries: ${letter.error}`,
  );
};

const DEFAULT_MAX_DELIVERIES = 20;

/** EVENT_MAX_DELIVERIES: how many times a handler finds a message invalid (InvalidMessageError) before it is parked. */
export const maxDeliveriesFromEnv = (value = process.env.EVENT_MAX_DELIVERIES): number =>
  positiveIntegerFromEnv('EVENT_MAX_DELIVERIES', DEFAULT_MAX_DELIVERIES, { EVENT_MAX_DELIVERIES: value });
