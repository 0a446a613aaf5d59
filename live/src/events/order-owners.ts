export interface OrderOwner {
  userId: string;
  ticketId: string;
}

/**
 * Whose order is whose, for routing order and payment events that do not name the user. In memory: each
 * replica rebuilds it from order:created (replayed `ttlMs` back on start), so there is no database to
 * keep in step, and an order changes only within that window (expiry, payment, rejection).
 */
export class OrderOwners {
  private readonly owners = new Map<string, OrderOwner & { at: number }>();

  constructor(private readonly ttlMs: number) {}

  remember(orderId: string, owner: OrderOwner, at = Date.now()): void {
    this.forgetOlderThan(Date.now() - this.ttlMs);
    this.owners.delete(orderId);
    this.owners.set(orderId, { ...owner, at });
  }

  get(orderId: string): OrderOwner | undefined {
    return this.owners.get(orderId);
  }

  get size(): number {
    return this.owners.size;
  }

  /** The map is in insertion order, which is (nearly) time order: stop at the first recent entry. */
  private forgetOlderThan(cutoff: number): void {
    for (const [orderId, owner] of this.owners) {
      if (owner.at >= cutoff) return;
      this.owners.delete(orderId);
    }
  }
}
