import type { EventBus } from '@ticketing/common';
import type { ExpirationQueue } from '../../workers/expiration-queue';
import { OrderCreatedListener } from './order-created-listener';

export const buildListeners = (bus: EventBus, queue: ExpirationQueue) => [new OrderCreatedListener(bus, queue)];
