import { insertReplica, Listener, OrderCreatedEvent, Subjects } from '@ticketing/common';
import { Order } from '../../models/order';

/** An order to pay for: kept with what it costs. */
export class OrderCreatedListener extends Listener<OrderCreatedEvent> {
  readonly subject = Subjects.OrderCreated;

  async onMessage(data: OrderCreatedEvent['data']): Promise<void> {
    await insertReplica(Order, {
      _id: data.id,
      version: data.version,
      userId: data.userId,
      sellerId: data.ticket.sellerId,
      price: data.ticket.price,
      totalCents: data.totalCents,
      status: data.status,
      expiresAt: new Date(data.expiresAt),
      ...(data.admissionId && { admissionId: data.admissionId }),
      ticket: { id: data.ticket.id, title: data.ticket.title },
      quantity: data.quantity,
    });
  }
}
