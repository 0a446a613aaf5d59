import type { EventBus } from './event-bus';
import { NatsStreamingBus, NatsStreamingOptions } from './nats-streaming-bus';

/** The process-wide connection to the event bus; tests install a fake with `use`. */
class NatsWrapper {
  private current?: EventBus;

  get bus(): EventBus {
    if (!this.current) throw new Error('Cannot use the event bus before connecting');
    return this.current;
  }

  async connect(options: NatsStreamingOptions): Promise<NatsStreamingBus> {
    const bus = await NatsStreamingBus.connect(options);
    this.current = bus;
    return bus;
  }

  use(bus: EventBus): void {
    this.current = bus;
  }

  async close(): Promise<void> {
    const bus = this.current;
    this.current = undefined;
    await bus?.close();
  }
}

export const natsWrapper = new NatsWrapper();
