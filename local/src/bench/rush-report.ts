import type { Outcome } from './rush-protocol';

/** What `npm run bench -- --rush` was asked to do. */
export interface RushSettings {
  buyers: number;
  units: number;
  activeBuyers: number;
  unpaidShare: number;
  /** Generator processes; each holds its share of the sockets (a process may hold 20,000 open files here). */
  generators: number;
  /** Loopback source addresses (127.0.0.2 …) the generators bind their sockets to. */
  sourceAddresses: number;
  /** Joins in flight per generator. */
  joinsInFlight: number;
  admissionMs: number;
  /** The sale is given this long to sell out; the run stops then, sold out or not. */
  saleDeadlineMs: number;
}

/** What it measured: rush.json. */
export interface RushReport {
  date: string;
  machine: string;
  settings: RushSettings & { queueProcesses: number; gatewayProcesses: number };
  joinsPerSecond: number;
  joinP95Ms: number;
  sockets: { open: number; failed: number };
  admissionToSocketMs: { p50: number; p95: number; count: number };
  stalenessP95Ms: { first1000: number; all: number };
  /** From the sale opening to the last unit's payment; null when it did not sell out in time. */
  openToSoldOutMs: number | null;
  admissionToPaidMs: { p50: number; p99: number; count: number };
  /** Where that time goes: admission → order placed (201), order → payment accepted (202); the charge follows. */
  admissionToOrderMs: { p50: number; p95: number; count: number };
  orderToPaymentAcceptedMs: { p50: number; p95: number; count: number };
  unitsSold: number;
  oversold: number;
  inversions: number;
  admissions: number;
  /** Buyers whose status said `soldOut: true`, and those of them who heard it within 2 s of the sell-out. */
  toldSoldOut: { count: number; within2s: number };
  /** Every buyer's state at the end: all are counted once. */
  outcomes: Record<Outcome, number>;
  errors: string[];
  kbPerWaitingSocket: { queue: number; gateway: number };
  rssMb: { queueBefore: number; queueWithSockets: number; gatewayBefore: number; gatewayWithSockets: number };
  /** Every 500 ms from the opening: buyers in line, admissions holding a slot, units paid. */
  timeline: { seconds: number; waiting: number; admitted: number; sold: number }[];
  /** For each paid unit: seconds from the opening to its payment. */
  timeToTicketSeconds: number[];
}

const ms = (value: number | null) => (value === null || !Number.isFinite(value) ? '–' : String(Math.round(value)));

/** The report as a table: each figure beside issue 24's target. */
export const formatRushTable = (report: RushReport): string => {
  const { units } = report.settings;
  const rows: [string, string, string][] = [
    ['buyers waiting with a socket', `${report.sockets.open} (${report.sockets.failed} failed)`, `${report.settings.buyers}`],
    ['joins/s through the gateway (p95 ms)', `${report.joinsPerSecond} (${ms(report.joinP95Ms)})`, '≥ 1,000'],
    ['admission → socket p50 / p95 ms', `${ms(report.admissionToSocketMs.p50)} / ${ms(report.admissionToSocketMs.p95)}`, 'p95 ≤ 250'],
    [
      'position staleness p95 ms, first 1,000 / all',
      `${ms(report.stalenessP95Ms.first1000)} / ${ms(report.stalenessP95Ms.all)}`,
      '≤ 2,000 / ≤ 10,000',
    ],
    ['sale opening → sold out ms', ms(report.openToSoldOutMs), ''],
    ['admission → paid order p50 / p99 ms', `${ms(report.admissionToPaidMs.p50)} / ${ms(report.admissionToPaidMs.p99)}`, ''],
    ['of which admission → order placed, p50 / p95 ms', `${ms(report.admissionToOrderMs.p50)} / ${ms(report.admissionToOrderMs.p95)}`, ''],
    [
      'then order → payment accepted, p50 / p95 ms',
      `${ms(report.orderToPaymentAcceptedMs.p50)} / ${ms(report.orderToPaymentAcceptedMs.p95)}`,
      '',
    ],
    ['units sold / oversold', `${report.unitsSold} / ${report.oversold}`, `${units} / 0`],
    ['FIFO inversions among admissions', `${report.inversions} of ${report.admissions} admissions`, '0'],
    ['buyers told sold-out (within 2 s)', `${report.toldSoldOut.count} (${report.toldSoldOut.within2s})`, 'every other buyer'],
    ['refused "Sold out" at the order', `${report.outcomes['refused: sold out']}`, ''],
    [
      'KB RSS per waiting socket, queue / gateway',
      `${report.kbPerWaitingSocket.queue} / ${report.kbPerWaitingSocket.gateway}`,
      'queue ≤ 15',
    ],
  ];
  return ['| measure | measured | target |', '|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
};
