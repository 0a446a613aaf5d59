import type { LiveMessage } from '@ticketing/common/api';
import { SocketHub, type SocketLimits } from '@ticketing/common';

export interface HubStats {
  sockets: number;
  users: number;
  /** Slow consumers disconnected since start. */
  dropped: number;
}

/**
 * The fan-out of this process's live sockets, grouped by signed-in user: public messages to all of them,
 * private ones to the sockets of one user only.
 */
export class LiveHub {
  readonly sockets: SocketHub<string>;

  constructor(limits: SocketLimits) {
    this.sockets = new SocketHub<string>(limits, (userId) => userId);
  }

  /** To every socket, signed in or not. */
  publish(message: LiveMessage): void {
    this.sockets.publish(message);
  }

  /** To the sockets of `userId` only. */
  publishTo(userId: string, message: LiveMessage): void {
    this.sockets.publishTo(userId, message);
  }

  stats(): HubStats {
    const { sockets, groups, dropped } = this.sockets.stats();
    return { sockets, users: groups, dropped };
  }
}
