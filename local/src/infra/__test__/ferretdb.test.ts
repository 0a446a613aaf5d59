import mongoose, { Types } from 'mongoose';
import { Server, startFerretDB } from '../servers';

// The FerretDB this project builds must answer a lookup by _id from the _id index,
// also when the filter has more fields (a version compare-and-set); unpatched 1.24 scans the table.
let ferretdb: Server;
let connection: mongoose.Connection;

beforeAll(async () => {
  ferretdb = await startFerretDB();
  connection = await mongoose.createConnection(ferretdb.env.MONGO_URI, { dbName: 'lookups' }).asPromise();
}, 120_000);

afterAll(async () => {
  await connection?.close();
  await ferretdb?.stop();
});

it('looks documents up by _id through the _id index, whatever else the filter holds', async () => {
  const docs = connection.collection('docs');
  const _id = new Types.ObjectId();
  await docs.insertMany([
    { _id, version: 0 },
    { _id: new Types.ObjectId(), version: 0 },
  ]);

  for (const filter of [{ _id }, { _id, version: 0 }]) {
    const explained = await connection.db!.command({ explain: { find: 'docs', filter } });
    expect(explained.filterPushdown).toBe(true);
    expect(JSON.stringify(explained.queryPlanner)).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
  }
});

// Each service now writes through several connections (and, with replicas, several processes):
// a compare-and-set must win at most once per version however many connections race (FerretDB#3040).
it('applies conditional updates atomically across connections', async () => {
  const racers = await Promise.all(
    [0, 1, 2, 3, 4, 5].map(() => mongoose.createConnection(ferretdb.env.MONGO_URI, { dbName: 'lookups' }).asPromise()),
  );
  try {
    const _id = new Types.ObjectId();
    await connection.collection('counters').insertOne({ _id, version: 0, bumps: 0, available: 100 });
    let versionWins = 0;
    let unitsTaken = 0;
    const race = async (racer: mongoose.Connection) => {
      const counters = racer.collection<{ _id: Types.ObjectId; version: number; bumps: number; available: number }>('counters');
      for (let i = 0; i < 100; i++) {
        const { version } = (await counters.findOne({ _id }))!;
        const bumped = await counters.updateOne({ _id, version }, { $set: { version: version + 1 }, $inc: { bumps: 1 } });
        versionWins += bumped.modifiedCount;
        const taken = await counters.updateOne({ _id, available: { $gte: 1 } }, { $inc: { available: -1 } });
        unitsTaken += taken.modifiedCount;
      }
    };
    await Promise.all(racers.map(race));

    const after = await connection.collection('counters').findOne({ _id });
    expect(after).toMatchObject({ version: versionWins, bumps: versionWins, available: 0 });
    expect(unitsTaken).toBe(100);
  } finally {
    await Promise.all(racers.map((racer) => racer.close()));
  }
});
