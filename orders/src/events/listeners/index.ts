import type { EventBus } from '@ticketing/common';
import { ExpirationCompleteListener } from './expiration-complete-listener';
import { PaymentCreatedListener } from './payment-created-listener';
import { PaymentFailedListener } from './payment-failed-listener';
import { PaymentRefundedListener } from './payment-refunded-listener';
import { ReservationRejectedListener } from './reservation-rejected-listener';
import { TicketCreatedListener } from './ticket-created-listener';
import { TicketUpdatedListener } from './ticket-updated-listener';

export const buildListeners = (bus: EventBus) => [
  new TicketCreatedListener(bus),
  new TicketUpdatedListener(bus),
  new ExpirationCompleteListener(bus),
  new PaymentCreatedListener(bus),
  new PaymentFailedListener(bus),
  new PaymentRefundedListener(bus),
  new ReservationRejectedListener(bus),
];
