/** What the rush bench's parent and its generator processes say to each other over their IPC channel. */

export interface GeneratorSetup {
  /** The gateway, as a browser reaches it. */
  gatewayUrl: string;
  ticketId: string;
  /** The system's JWT_KEY: each buyer's session is signed with it, as auth's sign-up would. */
  jwtKey: string;
  /** This generator's buyers: numbers first … first + count − 1 of the crowd. */
  first: number;
  count: number;
  /** Client sockets are bound to these loopback addresses (127.0.0.x), buyer by buyer in turn. */
  sourceAddresses: string[];
  joinsInFlight: number;
  /** Share of admitted buyers who order and never pay (their units expire and are sold again). */
  unpaidShare: number;
  /** Sockets not open this long after the first are given up (counted failed): the run stops by itself. */
  connectForMs: number;
  /** The queue's QUEUE_ADMISSION_MS: an admission's time is its token's expiry minus this. */
  admissionMs: number;
}

export type ParentMessage =
  | { type: 'join'; setup: GeneratorSetup }
  | { type: 'connect' }
  | { type: 'finish' }
  /** Times (ms since the epoch) of the listing's admissions, by admission number (index 0 unused); null when unknown. */
  | { type: 'staleness'; admissionTimes: (number | null)[] };

export interface Joined {
  type: 'joined';
  startedAt: number;
  endedAt: number;
  latenciesMs: number[];
}

export interface Connected {
  type: 'connected';
  open: number;
  failed: number;
}

/** One buyer the waiting room admitted, as their socket told them. */
export interface AdmittedBuyer {
  joinPosition: number;
  admissionNumber: number;
  /** When the queue admitted them (its clock is this machine's). */
  admittedAt: number;
  /** When their socket brought the admission. */
  socketAt: number;
  orderId?: string;
  /** When orders answered 201. */
  orderedAt?: number;
  /** When payments accepted the payment (202; the charge and the order's completion follow). */
  paymentAcceptedAt?: number;
}

/** Where a buyer ended: 'too late to pay' is a payment refused because the order had expired meanwhile. */
export type Outcome = 'waiting' | 'admitted' | 'ordered unpaid' | 'paying' | 'too late to pay' | 'refused: sold out' | 'failed';

export const noOutcomes = (): Record<Outcome, number> => ({
  waiting: 0,
  admitted: 0,
  'ordered unpaid': 0,
  paying: 0,
  'too late to pay': 0,
  'refused: sold out': 0,
  failed: 0,
});

export interface Finished {
  type: 'finished';
  admitted: AdmittedBuyer[];
  /** When each buyer told `soldOut: true` first heard it. */
  toldSoldOutAt: number[];
  outcomes: Record<Outcome, number>;
  /** A sample of what went wrong, for the report. */
  errors: string[];
}

/** Buyers' position staleness in 10 ms buckets (the last one holds everything longer). */
export interface Staleness {
  type: 'staleness';
  first1000: number[];
  all: number[];
}

export type GeneratorMessage = Joined | Connected | Finished | Staleness;

export const STALENESS_BUCKET_MS = 10;
export const STALENESS_BUCKETS = 12_001;
/** The buyers whose staleness is also reported apart: the head of the line, whose place moves fastest. */
export const HEAD_OF_LINE = 1_000;
