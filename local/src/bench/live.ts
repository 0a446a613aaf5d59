import { performance } from 'perf_hooks';
import { connectEventBus, Subjects } from '@ticketing/common';
import type { LiveMessage } from '@ticketing/common/api';
import { Types } from 'mongoose';
import WebSocket from 'ws';
import { mb, percentile, rssBytes, sleep } from './load';

export interface LiveBenchOptions {
  /** The live process itself (http://127.0.0.1:port), not the gateway: one process is measured. */
  liveUrl: string;
  /** Its pid, to read its resident memory. */
  livePid: number;
  /** The event bus variables of its system (EVENT_BUS, NATS_URL, ...): the events are published there, as tickets would. */
  env: Record<string, string>;
  sockets: number;
  events: number;
  /** Events published per second. */
  rate: number;
  progress?: (line: string) => void;
}

export interface LiveBenchRow {
  sockets: number;
  events: number;
  /** Messages received, of sockets × events. */
  delivered: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  rssBeforeMb: number;
  rssConnectedMb: number;
  rssAfterEventsMb: number;
  /** Resident memory the open sockets added to the live process, per socket. */
  kbPerSocket: number;
}

const CONNECT_BATCH = 50;

/** An anonymous socket that timestamps the bench's messages (titles `<prefix>-<index>`) on arrival. */
const openSocket = (url: string, prefix: string, onArrival: (index: number, at: number) => void): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    socket.on('message', (data) => {
      const at = performance.now();
      const message = JSON.parse((data as Buffer).toString()) as LiveMessage;
      if (message.type !== 'ticket:changed' || !message.data.title.startsWith(prefix)) return;
      onArrival(Number(message.data.title.slice(prefix.length)), at);
    });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });

const openSockets = async (url: string, count: number, prefix: string, onArrival: (index: number, at: number) => void) => {
  const sockets: WebSocket[] = [];
  while (sockets.length < count) {
    const batch = Math.min(CONNECT_BATCH, count - sockets.length);
    sockets.push(...(await Promise.all(Array.from({ length: batch }, () => openSocket(url, prefix, onArrival)))));
  }
  return sockets;
};

/**
 * `sockets` anonymous WebSockets on one live process, then `events` ticket:created published at `rate`
 * per second: how long each takes from its publish to each socket, and what the sockets cost in memory.
 */
export const runLiveBench = async (options: LiveBenchOptions): Promise<LiveBenchRow> => {
  const { sockets: count, events, rate, livePid, progress = () => {} } = options;
  const url = `${options.liveUrl.replace(/^http/, 'ws')}/api/live`;
  const prefix = `live-bench-${Date.now()}-`;
  const sentAt: number[] = [];
  const latencies: number[] = [];
  const onArrival = (index: number, at: number) => latencies.push(at - sentAt[index]);

  const rssBefore = rssBytes(livePid);
  progress(`live: opening ${count} sockets`);
  const sockets = await openSockets(url, count, prefix, onArrival);
  await sleep(2_000);
  const rssConnected = rssBytes(livePid);

  const bus = await connectEventBus('live-bench', options.env);
  try {
    progress(`live: publishing ${events} events at ${rate}/s`);
    const start = performance.now();
    for (let i = 0; i < events; i++) {
      await sleep(Math.max(0, start + (i * 1_000) / rate - performance.now()));
      sentAt[i] = performance.now();
      const id = new Types.ObjectId().toHexString();
      await bus.publish(Subjects.TicketCreated, {
        id,
        version: 0,
        title: `${prefix}${i}`,
        price: 1,
        userId: id,
        quantity: 1,
        available: 1,
        onSaleAt: null,
        waitingRoom: null,
        limitPerBuyer: 4,
      });
    }
    const deadline = performance.now() + 15_000;
    while (latencies.length < count * events && performance.now() < deadline) await sleep(100);
  } finally {
    await bus.close();
  }
  const rssAfterEvents = rssBytes(livePid);
  for (const socket of sockets) socket.terminate();

  return {
    sockets: count,
    events,
    delivered: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    rssBeforeMb: mb(rssBefore),
    rssConnectedMb: mb(rssConnected),
    rssAfterEventsMb: mb(rssAfterEvents),
    kbPerSocket: Math.round((rssConnected - rssBefore) / count / 1024),
  };
};

const ms = (value: number) => (Number.isFinite(value) ? String(Math.round(value)) : '–');

export const formatLiveTable = (row: LiveBenchRow): string =>
  [
    '| sockets | events | delivered | event→socket p50 / p95 / p99 / max ms | live RSS before / connected / after events MB | KB per socket |',
    '|---|---|---|---|---|---|',
    `| ${row.sockets} | ${row.events} | ${row.delivered} of ${row.sockets * row.events} | ${ms(row.p50)} / ${ms(row.p95)} / ${ms(row.p99)} / ${ms(row.max)} | ${row.rssBeforeMb} / ${row.rssConnectedMb} / ${row.rssAfterEventsMb} | ${row.kbPerSocket} |`,
  ].join('\n');
