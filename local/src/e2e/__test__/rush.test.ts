import fs from 'fs';
import os from 'os';
import path from 'path';
import { runRush } from '../../bench/rush';
import { formatRushTable } from '../../bench/rush-report';
import { startSystem, System } from '../../system/system';
import { figure } from '../figures';

// A short run of `npm run bench -- --rush`: 2,000 buyers and 200 units through a gateway of two processes
// sharing its port, two queue processes and two generator processes, exactly as the full run goes.
const ADMISSION_MS = 60_000;
const BUYERS = 2_000;
const UNITS = 200;

let system: System;
let outDir: string;

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rush-'));
  system = await startSystem({
    env: {},
    // Unpaid orders expire soon, so that their units are sold again within the run.
    expirationWindowSeconds: 30,
    serviceReplicas: { queue: 2 },
    gatewayProcesses: 2,
    serviceEnv: { queue: { QUEUE_ADMISSION_MS: String(ADMISSION_MS) } },
  });
}, 180_000);

afterAll(async () => {
  await system?.stop();
  fs.rmSync(outDir, { recursive: true, force: true });
});

it('sells exactly the units to a crowd in join order, each buyer bought, refused or still waiting, and draws the rush', async () => {
  const report = await runRush({
    system,
    buyers: BUYERS,
    units: UNITS,
    activeBuyers: 50,
    unpaidShare: 0.1,
    generators: 2,
    sourceAddresses: 4,
    joinsInFlight: 25,
    admissionMs: ADMISSION_MS,
    saleDeadlineMs: 600_000,
    outDir,
  });
  for (const line of formatRushTable(report).split('\n').slice(2)) figure(`rush ${BUYERS}/${UNITS}: ${line}`);

  expect(report.errors).toEqual([]);
  expect(report.sockets).toEqual({ open: BUYERS, failed: 0 });
  expect(report.unitsSold).toBe(UNITS);
  expect(report.oversold).toBe(0);
  expect(report.inversions).toBe(0);
  expect(report.openToSoldOutMs).toBeGreaterThan(0);
  // Some never paid: their units expired and went to later buyers.
  expect(report.outcomes['ordered unpaid']).toBeGreaterThan(0);
  expect(report.admissionToPaidMs.count).toBe(UNITS);
  const { failed, ...outcomes } = report.outcomes;
  expect(failed).toBe(0);
  expect(Object.values(outcomes).reduce((sum, count) => sum + count, 0)).toBe(BUYERS);
  // Sold out closes the line: every buyer left waiting was told so on their socket.
  expect(outcomes.waiting).toBeGreaterThan(0);
  expect(report.toldSoldOut.count).toBeGreaterThanOrEqual(outcomes.waiting);
  for (const measured of [report.joinsPerSecond, report.admissionToSocketMs.p95, report.stalenessP95Ms.all]) {
    expect(Number.isFinite(measured)).toBe(true);
  }
  expect(report.settings.gatewayProcesses).toBe(2);
  expect(JSON.parse(fs.readFileSync(path.join(outDir, 'rush.json'), 'utf8'))).toMatchObject({ unitsSold: UNITS });
  expect(fs.readFileSync(path.join(outDir, 'rush.svg'), 'utf8')).toMatch(/^<svg[^>]*>.*Time-to-ticket/s);
}, 900_000);
