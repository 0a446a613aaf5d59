import { OrderCancelledEvent, OrderStatus, Subjects } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { orderChanged, pushToOwner } from './messages';

export class OrderCancelledListener extends LiveListener<OrderCancelledEvent> {
  readonly subject = Subjects.OrderCancelled;

  protected push(data: OrderCancelledEvent['data']): void {
    pushToOwner(this.context, data.id, () => orderChanged(data.id, OrderStatus.Cancelled, data.ticket.id));
  }
}
