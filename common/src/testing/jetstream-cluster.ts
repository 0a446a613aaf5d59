import { jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { natsConnectionOptionsOf, STREAM_NAME } from '../bus/jetstream-bus';
import type { Subjects } from '../events/subjects';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `use` with a JetStream manager on the servers `url` names (NATS_URL: one URL or a comma-separated list). */
export const withJetStream = async <T>(url: string, use: (jsm: JetStreamManager) => Promise<T>): Promise<T> => {
  const nc = await connect({ ...natsConnectionOptionsOf(url), name: 'local-jetstream-api', timeout: 2_000 });
  try {
    return await use(await jetstreamManager(nc, { timeout: 5_000 }));
  } finally {
    await nc.close();
  }
};

/** Resolves once JetStream answers on `url`: a cluster's members have elected the leader of their metadata. */
export const waitForJetStream = async (url: string, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withJetStream(url, (jsm) => jsm.getAccountInfo());
      return;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`JetStream on ${url.replace(/\/\/[^@]*@/g, '//')} not ready: ${(err as Error).message}`);
      await sleep(500);
    }
  }
};

/** The server that leads the `ticketing` stream, its replica count, and its other peers (whether each is current), as the stream's info says. */
export const streamCluster = (url: string) =>
  withJetStream(url, async (jsm) => {
    const { cluster, config } = await jsm.streams.info(STREAM_NAME);
    return {
      leader: cluster?.leader,
      replicas: config.num_replicas,
      peers: (cluster?.replicas ?? []).map(({ name, current }) => ({ name, current })),
    };
  });

/** Publishes `data` to the stream through the servers `url` names only; rejects when none of them stores it within `timeoutMs`. */
export const publishThrough = async (url: string, subject: Subjects, data: string, timeoutMs: number): Promise<void> => {
  const nc = await connect({ ...natsConnectionOptionsOf(url), name: 'local-jetstream-api', timeout: timeoutMs });
  try {
    await jetstream(nc).publish(subject, data, { timeout: timeoutMs });
  } finally {
    await nc.close();
  }
};
