/**
 * The replicas of one Kubernetes Service on this machine, taken in turn as ingress-nginx takes a
 * Service's endpoints: each request (or WebSocket upgrade) goes to the next one.
 */
export class RoundRobin {
  private next = 0;

  constructor(readonly targets: readonly string[]) {
    if (targets.length === 0) throw new Error('a service needs at least one replica');
  }

  /** Every replica once, starting with the one whose turn it is; the next call starts one further. */
  turn(): string[] {
    const start = this.next;
    this.next = (this.next + 1) % this.targets.length;
    return this.targets.map((_, i) => this.targets[(start + i) % this.targets.length]);
  }
}

/** A connection the replica never accepted (it is down): nothing reached it, so the next one may be tried. */
export const wasRefused = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED';
