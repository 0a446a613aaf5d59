'use client';

import { formatCountdown } from '@/lib/format';
import { useNow } from './Countdown';

/** The time left until `retryAt`, ticking every second (not read out each second), then that the wait is over. */
function RetryCountdown({ retryAt }: { retryAt: number }) {
  const now = useNow(true);
  if (now === null) return null;
  const msLeft = retryAt - now;
  return (
    <p className="retry-countdown" data-testid="retry-countdown" aria-live="off">
      {msLeft > 0 ? `Try again in ${formatCountdown(msLeft)}.` : 'You can try again now.'}
    </p>
  );
}

/**
 * The errors of a form that belong to no single input, shown above its submit button; with `retryAt`,
 * a refusal's wait counts down.
 */
export function FormErrors({ messages, retryAt }: { messages: string[]; retryAt?: number }) {
  if (messages.length === 0) return null;
  return (
    <div className="alert alert-error" role="alert" tabIndex={-1} data-form-errors data-testid="form-errors">
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
      {retryAt !== undefined && <RetryCountdown retryAt={retryAt} />}
    </div>
  );
}
