import { eventBus, OutboxRelay } from '@ticketing/common';
import { Ticket } from '../models/ticket';

/** Publishes the events stored with ticket changes; kick it after each write. */
export const ticketOutbox = new OutboxRelay(Ticket, eventBus);
