import crypto from 'crypto';
import { EventBus, logger, parkDeadLetter, readDeadLetters, runDeadLettersCommand, Subjects, TicketCreatedEvent } from '../..';
import { ticketCreatedData, waitUntil } from '../../testing';
import { transports } from './transports';

const ticket = (title: string) => ticketCreatedData({ id: title, title, price: 10.5, userId: 'u1' });

describe.each(transports)('on $kind', (transport) => {
  let bus: EventBus;

  beforeAll(async () => {
    bus = await transport.connect({ clientName: 'deadletters-test' });
  });

  afterAll(() => bus.close());

  beforeEach(() => jest.spyOn(logger, 'error').mockImplementation(() => {}));
  afterEach(() => jest.restoreAllMocks());

  const park = (data: TicketCreatedEvent['data']) =>
    parkDeadLetter(bus, {
      subject: Subjects.TicketCreated,
      queueGroup: 'orders-service',
      sequence: 7,
      deliveries: 3,
      error: `unknown record ${data.id}`,
      parkedAt: new Date().toISOString(),
      data,
    });

  it('lists every parked message the server holds, with an id, and replays one on its own subject', async () => {
    const prefix = `parked-${crypto.randomBytes(4).toString('hex')}`;
    for (const i of [1, 2]) await park(ticket(`${prefix}-${i}`));

    const lines: string[] = [];
    expect(await runDeadLettersCommand(bus, ['list'], (line) => lines.push(line))).toBe(0);
    const ours = lines.filter((line) => line.includes(prefix));
    expect(ours).toHaveLength(2);
    expect(ours[0]).toMatch(new RegExp(`^#\\d+ \\S+ ticket:created #7 \\(orders-service, 3 deliveries\\): unknown record ${prefix}-1 `));

    const letters = (await readDeadLetters(bus)).filter(({ letter }) => JSON.stringify(letter.data).includes(prefix));
    const second = letters[1];
    const received: string[] = [];
    const subscription = bus.subscribe(
      Subjects.TicketCreated,
      { queueGroup: `replayed-${prefix}`, ackWaitMs: 5_000, broadcast: {} },
      (data) => {
        received.push(data.title);
        return Promise.resolve();
      },
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await runDeadLettersCommand(bus, ['replay', String(second.id)], () => {})).toBe(0);
      await waitUntil(() => received.includes(`${prefix}-2`), 10_000, 'the replayed message');
      expect(received.filter((title) => title.startsWith(prefix))).toEqual([`${prefix}-2`]);
    } finally {
      await subscription.close();
    }
  }, 30_000);

  it('refuses an id it does not hold, and a command it does not know', async () => {
    await expect(runDeadLettersCommand(bus, ['replay', '999999999'], () => {})).rejects.toThrow(/no dead letter #999999999/);
    const lines: string[] = [];
    expect(await runDeadLettersCommand(bus, ['purge'], (line) => lines.push(line))).toBe(2);
    expect(lines).toEqual(['usage: deadletters list | replay <id>']);
  }, 30_000);
});
