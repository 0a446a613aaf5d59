import fs from 'fs';
import os from 'os';
import path from 'path';
import { connectEventBus, EventBus, parkDeadLetter, Subjects } from '@ticketing/common';
import { orderCancelledData } from '@ticketing/common/testing';
import { Infra, startInfra } from '../../infra/start-infra';
import { deadletters, writeBusEnv } from '../deadletters';

// `npm run deadletters` against a running system's bus, found through the file `npm start` writes.
let infra: Infra;
let bus: EventBus;
const envFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'deadletters-')), 'event-bus.json');

beforeAll(async () => {
  infra = await startInfra(['nats'], { env: {} });
  writeBusEnv(infra.env, envFile);
  bus = await connectEventBus('deadletters-test', infra.env);
}, 60_000);

afterAll(async () => {
  await bus?.close();
  await infra?.stop();
});

const printed = async (args: string[]) => {
  const lines: string[] = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    return { code: await deadletters(args, { file: envFile, env: {} }), lines };
  } finally {
    jest.restoreAllMocks();
  }
};

it('lists the parked messages of the running system, and replays one by its id on its own subject', async () => {
  const data = orderCancelledData();
  jest.spyOn(console, 'error').mockImplementation(() => {});
  await parkDeadLetter(bus, {
    subject: Subjects.OrderCancelled,
    queueGroup: 'payments-service',
    sequence: 12,
    deliveries: 20,
    error: `unknown order ${data.id}`,
    parkedAt: new Date().toISOString(),
    data,
  });

  const listed = await printed(['list']);
  expect(listed.code).toBe(0);
  expect(listed.lines).toEqual([
    expect.stringMatching(/^#\d+ .* order:cancelled #12 \(payments-service, 20 deliveries\): unknown order/),
    '1 dead letter(s)',
  ]);
  const id = /^#(\d+)/.exec(listed.lines[0])![1];

  const replayed: unknown[] = [];
  const watching = bus.watch([Subjects.OrderCancelled], (_subject, event) => replayed.push(event));
  try {
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await printed(['replay', id])).code).toBe(0);
    const deadline = Date.now() + 10_000;
    while (replayed.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(replayed).toEqual([data]);
  } finally {
    await watching.close();
  }
}, 60_000);

it('prints its usage for no command, and names the file it needs when no system is running', async () => {
  expect((await printed([])).code).toBe(2);
  await expect(deadletters(['list'], { file: path.join(os.tmpdir(), 'no-such-dir', 'event-bus.json'), env: {} })).rejects.toThrow(
    /no running `npm start` found/,
  );
});
