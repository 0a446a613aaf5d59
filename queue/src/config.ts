import { positiveIntegerFromEnv } from '@ticketing/common';

/** The queue service's settings, from the environment (see docs/configuration.md's table). */
export interface QueueConfig {
  /** How long an admission may go without an order before its slot goes to the next in line. */
  admissionMs: number;
  /**
   * How long a lapsed admission keeps its slot after its token expired: an order placed in the token's last
   * moment reaches us (order:created) before the slot is given away, so the cap holds.
   */
  admissionGraceMs: number;
  /** Past its order's expiresAt by this much, an ordered admission frees its slot even if no event said so. */
  orderGraceMs: number;
  /** Each replica admits from every open waiting room this often (atomic in Redis, so replicas never race). */
  admitIntervalMs: number;
  /** A waiting socket near the head of the line is sent its position this often (the contract: at least every 2 s). */
  pushIntervalMs: number;
  /** Waiters fewer than this many places from the head are sent their place every push; those behind, less often. */
  frontOfLine: number;
  /** Waiters further back are sent their place every this many pushes (the contract: at least every 10 s). */
  backOfLineEvery: number;
  /** Sockets this process holds at most. */
  maxSockets: number;
  /** Sockets one user may hold open across every waiting room and queue process (tabs). */
  maxSocketsPerUser: number;
  /** How long a socket counts against its user without its process renewing it (a dead process's lapse). */
  socketLeaseMs: number;
  /** Largest message a client may send (clients send nothing the service reads). */
  maxPayloadBytes: number;
  /** Each socket is pinged this often; one that has not answered the previous ping is dropped. */
  pingIntervalMs: number;
  /** Prefix of every Redis key and channel of the waiting rooms. */
  keyPrefix: string;
}

export const defaultQueueConfig: QueueConfig = {
  admissionMs: 120_000,
  admissionGraceMs: 10_000,
  orderGraceMs: 60_000,
  admitIntervalMs: 200,
  pushIntervalMs: 1_000,
  frontOfLine: 1_000,
  backOfLineEvery: 5,
  maxSockets: 20_000,
  maxSocketsPerUser: 5,
  socketLeaseMs: 30_000,
  maxPayloadBytes: 1024,
  pingIntervalMs: 30_000,
  keyPrefix: 'queue:',
};

export const queueConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): QueueConfig => ({
  ...defaultQueueConfig,
  admissionMs: positiveIntegerFromEnv('QUEUE_ADMISSION_MS', defaultQueueConfig.admissionMs, env),
  maxSockets: positiveIntegerFromEnv('QUEUE_MAX_SOCKETS', defaultQueueConfig.maxSockets, env),
  maxSocketsPerUser: positiveIntegerFromEnv('QUEUE_MAX_SOCKETS_PER_USER', defaultQueueConfig.maxSocketsPerUser, env),
  pingIntervalMs: positiveIntegerFromEnv('QUEUE_PING_INTERVAL_MS', defaultQueueConfig.pingIntervalMs, env),
});
