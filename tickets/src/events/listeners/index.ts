import type { EventBus } from '@ticketing/common';
import { OrderCancelledListener } from './order-cancelled-listener';
import { OrderCreatedListener } from './order-created-listener';
import { PaymentCreatedListener } from './payment-created-listener';

export const buildListeners = (bus: EventBus) => [
  new OrderCreatedListener(bus),
  new OrderCancelledListener(bus),
  new PaymentCreatedListener(bus),
];
