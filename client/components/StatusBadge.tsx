import type { Order } from '@ticketing/common/api';
import { orderStatusLabel } from '@/lib/format';

/**
 * An order's status as a coloured badge; `data-status` carries the raw API value for tests, and `data-reason`
 * why a cancelled order was cancelled.
 */
export function StatusBadge({ order, testId }: { order: Pick<Order, 'status' | 'cancelReason'>; testId?: string }) {
  return (
    <span className={`badge badge-${order.status}`} data-status={order.status} data-reason={order.cancelReason} data-testid={testId}>
      {orderStatusLabel(order)}
    </span>
  );
}
