import type { AdmissionRounds } from './services/admission-rounds';
import type { QueueStatuses } from './services/queue-status';
import type { WaitingRoom } from './services/waiting-room';

/** What the queue's routes work with, made once by the entry point (or a test). */
export interface QueueDeps {
  room: WaitingRoom;
  statuses: QueueStatuses;
  rounds: AdmissionRounds;
}
