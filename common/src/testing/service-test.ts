import { eventBus } from '../bus/process-event-bus';
import type { Subjects } from '../events/subjects';
import type { OutboxRelay } from '../outbox/outbox';
import { useTestDatabase } from './database';
import { RecordingBus } from './recording-bus';

/**
 * A service's test file: its own database, a RecordingBus as the event bus, and
 * every test starting with no event left over from the one before.
 */
export const useServiceTest = (outbox: Pick<OutboxRelay, 'flush' | 'stop'>) => {
  const bus = new RecordingBus();
  eventBus.use(bus);
  useTestDatabase();

  /** Relays what is stored so far and forgets it, so a test sees only the events that come after. */
  const discardPublished = async () => {
    await outbox.flush();
    bus.forgetPublished();
  };
  beforeEach(async () => {
    bus.recover();
    await discardPublished();
  });
  // Before useTestDatabase's afterAll disconnects: no retry may outlive the file.
  afterAll(() => outbox.stop());

  /** The events on `subject` once everything stored so far has been relayed. */
  const published = async <S extends Subjects>(subject: S) => {
    await outbox.flush();
    return bus.eventsOf(subject);
  };

  return { bus, published, discardPublished };
};
