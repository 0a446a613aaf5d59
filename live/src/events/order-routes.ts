export interface OrderRoute {
  userId: string;
  ticketId: string;
}

/**
 * Whose order is whose, for routing order and payment events that do not name the user. In memory: each
 * replica rebuilds it from order:created (replayed `ttlMs` back on start), so there is no database to
 * keep in step, and an order changes only within that window (expiry, payment, rejection).
 */
export class OrderRoutes {
  private readonly routes = new Map<string, OrderRoute & { at: number }>();

  constructor(private readonly ttlMs: number) {}

  remember(orderId: string, route: OrderRoute, at = Date.now()): void {
    this.forgetOlderThan(Date.now() - this.ttlMs);
    this.routes.delete(orderId);
    this.routes.set(orderId, { ...route, at });
  }

  get(orderId: string): OrderRoute | undefined {
    return this.routes.get(orderId);
  }

  get size(): number {
    return this.routes.size;
  }

  /** The map is in insertion order, which is (nearly) time order: stop at the first recent entry. */
  private forgetOlderThan(cutoff: number): void {
    for (const [orderId, route] of this.routes) {
      if (route.at >= cutoff) return;
      this.routes.delete(orderId);
    }
  }
}
