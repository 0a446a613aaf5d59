import { natsWrapper } from '../bus/nats-wrapper';
import type { Subjects } from '../events/subjects';
import type { OutboxRelay } from '../outbox/outbox';
import { useTestDatabase } from './database';
import { RecordingBus } from './recording-bus';

/**
 * FerretDB applies an update as a read and a write that another connection can
 * slip between (FerretDB#3040); over one connection each single-document write
 * is atomic, as it is on MongoDB, so compare-and-set tests mean what they say.
 */
const overOneConnection = (uri: string) => {
  const url = new URL(uri);
  url.searchParams.set('maxPoolSize', '1');
  return url.toString();
};

/**
 * A service's test file: its own database, a RecordingBus as the event bus, and
 * every test starting with no event left over from the one before.
 */
export const useServiceTest = (outbox: Pick<OutboxRelay, 'flush'>) => {
  if (process.env.MONGO_URI) process.env.MONGO_URI = overOneConnection(process.env.MONGO_URI);
  const bus = new RecordingBus();
  natsWrapper.use(bus);
  useTestDatabase();

  /** Relays what is stored so far and forgets it, so a test sees only the events that come after. */
  const discardPublished = async () => {
    await outbox.flush();
    bus.clear();
  };
  beforeEach(discardPublished);

  /** The events on `subject` once everything stored so far has been relayed. */
  const published = async <S extends Subjects>(subject: S) => {
    await outbox.flush();
    return bus.eventsOf(subject);
  };

  return { bus, published, discardPublished };
};
