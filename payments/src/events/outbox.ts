import { eventBus, OutboxRelay } from '@ticketing/common';
import { Payment } from '../models/payment';

/** Publishes the events stored with payment changes; kick it after each write. */
export const paymentOutbox = new OutboxRelay(Payment, eventBus);
