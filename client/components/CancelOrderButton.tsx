'use client';

import { useEffect, useRef, useState } from 'react';
import { useRequest } from '@/lib/use-request';
import { FormErrors } from './FormErrors';

/** "Cancel order", asked once more before the order is given up; `onCancelled` once the API has cancelled it. */
export function CancelOrderButton({ orderId, onCancelled }: { orderId: string; onCancelled: () => void }) {
  const cancel = useRequest<void>('DELETE', `/api/orders/${orderId}`);
  const [confirming, setConfirming] = useState(false);
  const question = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  async function cancelOrder() {
    const result = await cancel.send();
    if (result.ok) onCancelled();
  }

  return (
    <div className="order-cancel">
      <FormErrors messages={cancel.errors.general} />
      {confirming ? (
        <div className="order-cancel-confirm" role="group" aria-labelledby="cancel-question">
          <p id="cancel-question" ref={question} tabIndex={-1}>
            Cancel this order? Its tickets go back on sale.
          </p>
          <button
            type="button"
            className="button button-danger-ghost"
            onClick={() => void cancelOrder()}
            disabled={cancel.pending}
            data-testid="cancel-order-confirm"
          >
            {cancel.pending ? 'Cancelling…' : 'Yes, cancel order'}
          </button>
          <button type="button" className="button button-ghost" onClick={() => setConfirming(false)} data-testid="cancel-order-keep">
            Keep my order
          </button>
        </div>
      ) : (
        <button type="button" className="button button-danger-ghost" onClick={() => setConfirming(true)} data-testid="cancel-order">
          Cancel order
        </button>
      )}
    </div>
  );
}
