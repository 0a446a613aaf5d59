import { OrderCreatedEvent, OrderStatus, Subjects } from '@ticketing/common';
import { LiveListener } from './live-listener';
import { orderChanged } from './messages';

/** The one event that names the order's owner: it is remembered for the events that do not. */
export class OrderCreatedListener extends LiveListener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;
  protected override readonly replays = true;

  protected override remember(data: OrderCreatedEvent['data'], publishedAt: number): void {
    this.context.owners.remember(data.id, { userId: data.userId, ticketId: data.ticket.id }, publishedAt);
  }

  protected push(data: OrderCreatedEvent['data']): void {
    this.context.hub.publishTo(data.userId, orderChanged(data.id, OrderStatus.Created, data.ticket.id));
  }
}
