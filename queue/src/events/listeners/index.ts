import type { EventBus } from '@ticketing/common';
import { OrderCancelledListener } from './order-cancelled-listener';
import { OrderCreatedListener } from './order-created-listener';
import type { OrderEndParts } from './order-ended';
import { PaymentCreatedListener } from './payment-created-listener';
import { TicketCreatedListener } from './ticket-created-listener';
import { TicketUpdatedListener } from './ticket-updated-listener';

export const queueListeners = (bus: EventBus, parts: OrderEndParts) => [
  new TicketCreatedListener(bus, parts.room),
  new TicketUpdatedListener(bus, parts.room),
  new OrderCreatedListener(bus, parts.room),
  new OrderCancelledListener(bus, parts),
  new PaymentCreatedListener(bus, parts),
];
