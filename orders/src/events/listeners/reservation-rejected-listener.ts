import { Listener, ReservationRejectedEvent, Subjects } from '@ticketing/common';
import { cancelUnlessCancelled } from '../../models/order';
import { releaseUnits } from '../../services/release-units';
import { orderOutbox } from '../outbox';

/** Tickets refused the order, placed against an older version of the listing: cancel it and give its units back. */
export class ReservationRejectedListener extends Listener<ReservationRejectedEvent> {
  readonly subject = Subjects.ReservationRejected;

  async onMessage({ orderId }: ReservationRejectedEvent['data']): Promise<void> {
    const order = await cancelUnlessCancelled(orderId);
    orderOutbox.kick(order);
    await releaseUnits(order);
  }
}
