import type { EventBus } from '@ticketing/common';
import { PaymentCreatedListener } from './payment-created-listener';
import { PaymentRefundedListener } from './payment-refunded-listener';

export const buildListeners = (bus: EventBus) => [new PaymentCreatedListener(bus), new PaymentRefundedListener(bus)];
