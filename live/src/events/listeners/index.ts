import type { EventBus } from '@ticketing/common';
import type { LiveContext } from './live-listener';
import {
  OrderCancelledListener,
  OrderCreatedListener,
  PaymentCreatedListener,
  PaymentFailedListener,
  PaymentRefundedListener,
} from './order-listeners';
import { TicketCreatedListener, TicketUpdatedListener } from './ticket-listeners';

export const liveListeners = (bus: EventBus, context: LiveContext) => [
  new TicketCreatedListener(bus, context),
  new TicketUpdatedListener(bus, context),
  new OrderCreatedListener(bus, context),
  new OrderCancelledListener(bus, context),
  new PaymentCreatedListener(bus, context),
  new PaymentFailedListener(bus, context),
  new PaymentRefundedListener(bus, context),
];
