import type { DeadLetterEvent, EventData } from '../events/events';
import { Subjects } from '../events/subjects';
import type { EventBus } from './event-bus';

/** A parked message as the `deadletter` subject stores it; `id` is its sequence there. */
export interface StoredDeadLetter {
  id: number;
  letter: DeadLetterEvent['data'];
}

/** The stream of dead letters has no end marker: reading stops once none has come for this long. */
const IDLE_MS = 1_500;
/** Names the reader's subscription in logs; a broadcast one, so that the server keeps nothing of it. */
const READER = 'deadletters-tool';

/**
 * Every dead letter the server still holds, oldest first: a subscription of its own from the
 * subject's first message (NATS Streaming's channel, JetStream's stream), closed once it is idle.
 */
export const readDeadLetters = async (bus: EventBus, idleMs = IDLE_MS): Promise<StoredDeadLetter[]> => {
  const letters: StoredDeadLetter[] = [];
  let idle: () => void = () => {};
  const quiet = new Promise<void>((resolve) => (idle = resolve));
  let timer = setTimeout(() => idle(), idleMs);
  const subscription = bus.subscribe(
    Subjects.DeadLetter,
    { queueGroup: READER, ackWaitMs: 30_000, broadcast: { replayMs: Date.now() } },
    (letter, { sequence }) => {
      letters.push({ id: sequence, letter });
      clearTimeout(timer);
      timer = setTimeout(() => idle(), idleMs);
      return Promise.resolve();
    },
  );
  await quiet;
  await subscription.close();
  return letters.sort((a, b) => a.id - b.id);
};

/**
 * Publishes dead letter `id`'s message again, as it was, on its own subject: every consumer of the
 * subject gets it, which is safe since each one is idempotent (docs/design.md, Events).
 */
export const replayDeadLetter = async (bus: EventBus, id: number): Promise<StoredDeadLetter> => {
  const found = (await readDeadLetters(bus)).find((stored) => stored.id === id);
  if (!found) throw new Error(`no dead letter #${id}`);
  const { subject, data } = found.letter;
  await bus.publish(subject, data as EventData<typeof subject>);
  return found;
};

/** One line for an operator: id, when, where it failed, why, and the message. */
export const describeDeadLetter = ({ id, letter }: StoredDeadLetter): string =>
  `#${id} ${letter.parkedAt} ${letter.subject} #${letter.sequence} (${letter.queueGroup}, ${letter.deliveries} deliveries): ${letter.error} ${JSON.stringify(letter.data)}`;

const usage = 'usage: deadletters list | replay <id>';

/** `deadletters list|replay <id>`: the same code locally (npm run deadletters) and as the cluster's Job. Returns the exit code. */
export const runDeadLettersCommand = async (
  bus: EventBus,
  args: string[],
  print: (line: string) => void = console.log,
): Promise<number> => {
  const [command, id] = args;
  if (command === 'list' && !id) {
    const letters = await readDeadLetters(bus);
    letters.forEach((stored) => print(describeDeadLetter(stored)));
    print(`${letters.length} dead letter(s)`);
    return 0;
  }
  if (command === 'replay' && id && /^\d+$/.test(id)) {
    const replayed = await replayDeadLetter(bus, Number(id));
    print(`replayed ${describeDeadLetter(replayed)}`);
    return 0;
  }
  print(usage);
  return 2;
};
