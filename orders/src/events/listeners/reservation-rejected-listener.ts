import { Listener, ReservationRejectedEvent, Subjects } from '@ticketing/common';
import { cancelUnlessCancelled } from '../../models/order';
import { orderOutbox } from '../outbox';

/** Tickets refused the order, priced from an older version of the ticket: cancel it, releasing its hold. */
export class ReservationRejectedListener extends Listener<ReservationRejectedEvent> {
  readonly subject = Subjects.ReservationRejected;

  async onMessage({ orderId }: ReservationRejectedEvent['data']): Promise<void> {
    orderOutbox.kick(await cancelUnlessCancelled(orderId));
  }
}
