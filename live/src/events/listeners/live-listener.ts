import { AnyEvent, EventBus, EventData, Listener, ListenOptions, MessageInfo, Subscription } from '@ticketing/common';
import type { LiveHub } from '../../socket/hub';
import type { OrderOwners } from '../order-owners';

export interface LiveContext {
  hub: LiveHub;
  owners: OrderOwners;
  /** Messages stored before this were replayed to rebuild the owners: their news is stale. */
  startedAt: number;
}

/**
 * A subscription of the live service: `remember` keeps what routing needs, from every message, replayed
 * ones included; `push` sends the news to sockets, for messages newer than the process only.
 */
export abstract class LiveListener<E extends AnyEvent> extends Listener<E> {
  constructor(
    bus: EventBus,
    protected readonly context: LiveContext,
  ) {
    super(bus);
  }

  protected remember?(data: EventData<E['subject']>, publishedAt: number): void;

  /** Whether this subject teaches routing and is replayed on start; the others start with new messages. */
  protected readonly replays: boolean = false;

  override listen(queueGroup: string, options: ListenOptions = {}): Subscription {
    const replayMs = this.replays ? options.broadcast?.replayMs : undefined;
    return super.listen(queueGroup, { ...options, broadcast: { replayMs } });
  }

  protected abstract push(data: EventData<E['subject']>): void;

  onMessage(data: EventData<E['subject']>, info: MessageInfo): Promise<void> {
    const publishedAt = info.publishedAt ?? Date.now();
    this.remember?.(data, publishedAt);
    if (publishedAt >= this.context.startedAt) this.push(data);
    return Promise.resolve();
  }
}
