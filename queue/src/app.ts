import { createApp } from '@ticketing/common';
import { joinRouter } from './routes/join';
import { meRouter } from './routes/me';
import { socketRouter } from './routes/socket';
import type { AdmissionRounds } from './services/admission-rounds';
import type { QueueStatuses } from './services/queue-status';
import type { WaitingRoom } from './services/waiting-room';

export interface QueueParts {
  room: WaitingRoom;
  statuses: QueueStatuses;
  rounds: AdmissionRounds;
}

export const buildApp = (parts: QueueParts, isReady: () => boolean) =>
  createApp([joinRouter(parts), meRouter(parts), socketRouter()], { isReady });
