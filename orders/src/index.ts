import { runService } from '@ticketing/common';
import { app } from './app';
import { ExpirationCompleteListener } from './events/listeners/expiration-complete-listener';
import { PaymentCreatedListener } from './events/listeners/payment-created-listener';
import { PaymentFailedListener } from './events/listeners/payment-failed-listener';
import { PaymentRefundedListener } from './events/listeners/payment-refunded-listener';
import { ReservationRejectedListener } from './events/listeners/reservation-rejected-listener';
import { TicketCreatedListener } from './events/listeners/ticket-created-listener';
import { TicketUpdatedListener } from './events/listeners/ticket-updated-listener';
import { orderOutbox } from './events/outbox';
import { expirationWindowSeconds } from './config';
import { ExpiredOrderSweeper } from './workers/expired-order-sweeper';
import { HoldRepairer } from './workers/hold-repairer';

// A bad EXPIRATION_WINDOW_SECONDS stops the start rather than the first order.
expirationWindowSeconds();

void runService({
  name: 'orders',
  app,
  env: ['JWT_KEY', 'ADMISSION_KEY'],
  mongo: true,
  listeners: (bus) => [
    new TicketCreatedListener(bus),
    new TicketUpdatedListener(bus),
    new ExpirationCompleteListener(bus),
    new PaymentCreatedListener(bus),
    new PaymentFailedListener(bus),
    new PaymentRefundedListener(bus),
    new ReservationRejectedListener(bus),
  ],
  outbox: orderOutbox,
  workers: [new ExpiredOrderSweeper(), new HoldRepairer()],
});
