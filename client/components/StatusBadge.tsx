import type { OrderStatus } from '@ticketing/common/api';
import { STATUS_LABELS } from '@/lib/format';

/** An order's status as a coloured badge; `data-status` carries the raw API value for tests. */
export function StatusBadge({ status, testId }: { status: OrderStatus; testId?: string }) {
  return (
    <span className={`badge badge-${status.replace(':', '-')}`} data-status={status} data-testid={testId}>
      {STATUS_LABELS[status]}
    </span>
  );
}
