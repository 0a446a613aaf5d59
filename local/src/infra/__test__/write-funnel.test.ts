import { Collection, MongoClient, MongoServerError, ObjectId } from 'mongodb';
import { Server, startFerretDB } from '../servers';
import { WriteFunnel } from '../write-funnel';

// Three replicas of a service write one collection, each over its one connection (maxPoolSize=1).
// Straight to FerretDB, an update is a read and a write another connection slips between; through
// the funnel, the writes of all three go one at a time, as within one process.
const PROCESSES = 3;
const ROUNDS = 100;

let ferretdb: Server;
let funnel: WriteFunnel;
const clients: MongoClient[] = [];

const figure = (line: string) => process.stdout.write(`[figure] ${line}\n`);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

beforeAll(async () => {
  ferretdb = await startFerretDB();
  funnel = await WriteFunnel.start(Number(new URL(ferretdb.env.MONGO_URI).port));
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await funnel?.close();
  await ferretdb?.stop();
});

interface Counter {
  _id: ObjectId;
  n: number;
  version: number;
}

/** One collection as each of the three processes sees it, over a connection of its own. */
const collections = async (uri: string, name: string): Promise<Collection<Counter>[]> =>
  Promise.all(
    range(PROCESSES).map(async () => {
      const client = await MongoClient.connect(uri);
      clients.push(client);
      return client.db('funnel').collection<Counter>(name);
    }),
  );

/** Each process adds 1 ROUNDS times, and moves the version on ROUNDS times by compare-and-set. */
const race = async (uri: string, name: string) => {
  const each = await collections(uri, name);
  const _id = new ObjectId();
  await each[0].insertOne({ _id, n: 0, version: 0 });
  await Promise.all(
    each.map(async (collection) => {
      for (let i = 0; i < ROUNDS; i++) await collection.updateOne({ _id }, { $inc: { n: 1 } });
    }),
  );
  let wins = 0;
  await Promise.all(
    each.map(async (collection) => {
      for (let i = 0; i < ROUNDS; i++) {
        const { version } = (await collection.findOne({ _id }))!;
        const { modifiedCount } = await collection.updateOne({ _id, version }, { $set: { version: version + 1 } });
        wins += modifiedCount;
      }
    }),
  );
  const stored = (await each[0].findOne({ _id }))!;
  return { increments: stored.n, wins, version: stored.version };
};

it('keeps $inc and compare-and-set atomic across three processes writing one document', async () => {
  const direct = await race(ferretdb.env.MONGO_URI, 'direct');
  const funnelled = await race(funnel.uriFor(ferretdb.env.MONGO_URI), 'funnelled');

  expect(funnelled.increments).toBe(PROCESSES * ROUNDS);
  // Every compare-and-set that said it won moved the version on: none won the same version twice.
  expect(funnelled.wins).toBe(funnelled.version);
  figure(
    `FerretDB, ${PROCESSES} processes × ${ROUNDS} on one document: straight to it ${direct.increments}/${PROCESSES * ROUNDS} $inc kept, ` +
      `${direct.wins} compare-and-sets won for ${direct.version} versions; through the write funnel ` +
      `${funnelled.increments}/${PROCESSES * ROUNDS}, ${funnelled.wins} won for ${funnelled.version}`,
  );
}, 120_000);

it('lets exactly one of many processes take a unique key, and passes cursors through', async () => {
  const each = await collections(funnel.uriFor(ferretdb.env.MONGO_URI), 'locks');
  await each[0].createIndex({ lock: 1 }, { unique: true });
  const attempts = await Promise.all(
    range(30).map(async (i) => {
      try {
        await each[i % PROCESSES].insertOne({ _id: new ObjectId(), n: i, version: 0, lock: 'ticket:1' } as Counter);
        return 'won';
      } catch (err) {
        if (err instanceof MongoServerError && err.code === 11000) return 'duplicate';
        throw err;
      }
    }),
  );
  expect(attempts.filter((outcome) => outcome === 'won')).toHaveLength(1);

  await each[1].insertMany(range(250).map((n) => ({ _id: new ObjectId(), n, version: 0 })));
  // A small batch size makes the driver fetch the rest with getMore, on the connection that opened the cursor.
  const all = await each[2].find({}, { batchSize: 20 }).toArray();
  expect(all).toHaveLength(251);
});
