import type { EventBus } from '@ticketing/common';
import { OrderCancelledListener } from './order-cancelled-listener';
import { OrderCreatedListener } from './order-created-listener';
import type { OrderEndDeps } from './order-ended';
import { PaymentCreatedListener } from './payment-created-listener';
import { TicketCreatedListener } from './ticket-created-listener';
import { TicketUpdatedListener } from './ticket-updated-listener';

export const buildListeners = (bus: EventBus, deps: OrderEndDeps) => [
  new TicketCreatedListener(bus, deps.room),
  new TicketUpdatedListener(bus, deps.room),
  new OrderCreatedListener(bus, deps.room),
  new OrderCancelledListener(bus, deps),
  new PaymentCreatedListener(bus, deps),
];
