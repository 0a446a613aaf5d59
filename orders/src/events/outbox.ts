import { eventBus, OutboxRelay } from '@ticketing/common';
import { Order } from '../models/order';

/** Publishes the events stored with order changes; kick it after each write. */
export const orderOutbox = new OutboxRelay(Order, eventBus);
