import type { EventBus } from '@ticketing/common';
import type { LiveContext } from './live-listener';
import { OrderCancelledListener } from './order-cancelled-listener';
import { OrderCreatedListener } from './order-created-listener';
import { PaymentCreatedListener } from './payment-created-listener';
import { PaymentFailedListener } from './payment-failed-listener';
import { PaymentRefundedListener } from './payment-refunded-listener';
import { TicketCreatedListener } from './ticket-created-listener';
import { TicketUpdatedListener } from './ticket-updated-listener';

export const buildListeners = (bus: EventBus, context: LiveContext) => [
  new TicketCreatedListener(bus, context),
  new TicketUpdatedListener(bus, context),
  new OrderCreatedListener(bus, context),
  new OrderCancelledListener(bus, context),
  new PaymentCreatedListener(bus, context),
  new PaymentFailedListener(bus, context),
  new PaymentRefundedListener(bus, context),
];
