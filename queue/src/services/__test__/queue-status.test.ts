import { setTimeout as sleep } from 'timers/promises';
import { redisFromEnv } from '@ticketing/common';
import { newTicketId, testPrefix } from '../../__test__/queue-harness';
import { defaultQueueConfig } from '../../config';
import { admissionsPerMinute, QueueStatuses, waitingStatus } from '../queue-status';
import { RedisConnection } from '../redis-connection';
import { WaitingRoom, type ListingRules } from '../waiting-room';

const rules = (pace: ListingRules['pace'], onSaleAt = 0): ListingRules => ({ activeBuyers: 2, onSaleAt, soldOut: false, pace });

describe('the estimate, from the admissions per minute measured', () => {
  it('says "estimating" (null) until an admission after the opening round was measured', () => {
    const status = waitingStatus('t', 4, rules({ admissions: 0, elapsedMs: 30_000 }));
    expect(status).toMatchObject({ position: 5, etaSeconds: null, admissionsPerMinute: null });
  });

  it('is the place in line divided by the admissions per minute so far', () => {
    const sixAMinute = rules({ admissions: 3, elapsedMs: 30_000 });
    expect(admissionsPerMinute(sixAMinute.pace)).toBe(6);
    expect(waitingStatus('t', 0, sixAMinute)).toMatchObject({ position: 1, etaSeconds: 10, admissionsPerMinute: 6 });
    expect(waitingStatus('t', 11, sixAMinute)).toMatchObject({ position: 12, etaSeconds: 120 });
  });

  it('adds the time until the sale opens, and names it', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const opensAt = now + 45_000;
    const status = waitingStatus('t', 5, rules({ admissions: 2, elapsedMs: 60_000 }, opensAt), now);
    expect(status).toMatchObject({ etaSeconds: 45 + 180, admissionsPerMinute: 2, onSaleAt: '2026-01-01T12:00:45.000Z' });
  });
});

describe('the pace the waiting room measures in Redis', () => {
  let connection: RedisConnection;
  beforeAll(async () => {
    connection = new RedisConnection(redisFromEnv());
    await connection.start();
  });
  afterAll(() => connection.stop());

  it('counts the admissions after the opening round over the time since it, and estimates every place from them', async () => {
    const room = new WaitingRoom(connection.commands, { ...defaultQueueConfig, keyPrefix: testPrefix() });
    const statuses = new QueueStatuses(room);
    const ticketId = newTicketId();
    await room.setListing(ticketId, 0, { activeBuyers: 2, onSaleAt: 0 });
    const line = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (const user of line) await room.join(ticketId, user);

    // The opening round fills both slots at once: that says nothing of how fast the line moves.
    expect(await room.admit(ticketId)).toBe(2);
    expect(await statuses.find(ticketId, 'c')).toMatchObject({ position: 1, etaSeconds: null, admissionsPerMinute: null });

    // A second later the first buyer's order ends and the next is let in: one admission in about a second.
    await sleep(1_000);
    await room.orderPlaced(`${ticketId}.1`, 'order-1', Date.now() + 60_000);
    await room.orderEnded('order-1');
    expect(await room.admit(ticketId)).toBe(1);

    const next = await statuses.find(ticketId, 'd');
    const last = await statuses.find(ticketId, 'f');
    expect(next?.position).toBe(1);
    expect(next?.admissionsPerMinute).toBeGreaterThan(40);
    expect(next?.admissionsPerMinute).toBeLessThanOrEqual(60);
    expect(next?.etaSeconds).toBeGreaterThanOrEqual(1);
    expect(next?.etaSeconds).toBeLessThanOrEqual(2);
    expect(last?.position).toBe(3);
    expect(last?.etaSeconds).toBeGreaterThanOrEqual(3);
    expect(last?.etaSeconds).toBeLessThanOrEqual(5);
    expect((await room.lineHead(ticketId))?.rules.pace.admissions).toBe(1);
  });
});
