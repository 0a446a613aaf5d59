import type { Subjects } from '../events/subjects';

/** A message whose handler failed and that this process has not yet seen handled. */
interface Failing {
  failures: number;
  /** Failures that were the handler's verdict that the message is invalid (InvalidMessageError). */
  verdicts: number;
  lastFailedAt: number;
}

/**
 * Longer than the longest redelivery delay (1 minute): a message not seen failing for this long was
 * handled by another replica of the queue group, or parked there.
 */
const FORGET_AFTER_MS = 5 * 60_000;

const subscriptions = new Set<FailingMessages>();

/** The failing messages of one subscription in this process, by sequence: what /healthz shows and what decides parking. */
export class FailingMessages {
  private readonly messages = new Map<number, Failing>();

  constructor(readonly subject: Subjects) {
    subscriptions.add(this);
  }

  /** Counts a failed delivery of the message; its failures and verdicts so far, this one included. */
  failed(sequence: number, invalid: boolean, now = Date.now()): Failing {
    this.forgetStale(now);
    const failing = this.messages.get(sequence) ?? { failures: 0, verdicts: 0, lastFailedAt: now };
    failing.failures += 1;
    if (invalid) failing.verdicts += 1;
    failing.lastFailedAt = now;
    this.messages.set(sequence, failing);
    return { ...failing };
  }

  /** The message was handled or parked. */
  settled(sequence: number): void {
    this.messages.delete(sequence);
  }

  /** Messages failing now, and their failed deliveries so far. */
  summary(now = Date.now()): { messages: number; failures: number } {
    this.forgetStale(now);
    let failures = 0;
    for (const failing of this.messages.values()) failures += failing.failures;
    return { messages: this.messages.size, failures };
  }

  /** Stops counting (the subscription closed). */
  close(): void {
    subscriptions.delete(this);
  }

  private forgetStale(now: number): void {
    for (const [sequence, failing] of this.messages) if (now - failing.lastFailedAt > FORGET_AFTER_MS) this.messages.delete(sequence);
  }
}

export type FailingSummary = Record<string, { messages: number; failures: number }>;

/** Per subject, the messages this process's listeners are retrying and how often they failed: /healthz shows it. */
export const failingMessages = (): FailingSummary => {
  const summary: FailingSummary = {};
  for (const subscription of subscriptions) {
    const { messages, failures } = subscription.summary();
    if (messages === 0) continue;
    const total = summary[subscription.subject] ?? { messages: 0, failures: 0 };
    summary[subscription.subject] = { messages: total.messages + messages, failures: total.failures + failures };
  }
  return summary;
};
