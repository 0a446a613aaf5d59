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

// A page of a listing (filter, sort by _id, limit, cursor) must read the _id index in order, not sort every document.
describe('a find sorted by _id', () => {
  const shuffled = <T>(items: T[]) =>
    items
      .map((item) => ({ item, key: Math.random() }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item);
  const ids = Array.from({ length: 200 }, () => new Types.ObjectId()).sort((a, b) => a.toHexString().localeCompare(b.toHexString()));
  const forSale = (i: number) => i % 3 !== 0;
  let pages: mongoose.mongo.Collection<{ _id: Types.ObjectId; available: number }>;

  beforeAll(async () => {
    pages = connection.collection('pages');
    // Inserted out of _id order, so that the table's own order is not the answer.
    await pages.insertMany(shuffled(ids.map((_id, i) => ({ _id, available: forSale(i) ? 1 : 0 }))));
  });

  const expected = (direction: 1 | -1, keep: (i: number) => boolean, limit: number) => {
    const matching = ids.filter((_id, i) => forSale(i) && keep(i));
    return (direction === 1 ? matching : matching.reverse()).slice(0, limit).map(String);
  };

  it.each([
    ['newest first, first page', -1, {}, () => true],
    ['newest first, after a cursor', -1, { $lt: ids[120] }, (i: number) => i < 120],
    ['oldest first, after a cursor', 1, { $gt: ids[50] }, (i: number) => i > 50],
    ['between two bounds', 1, { $gte: ids[30], $lte: ids[90] }, (i: number) => i >= 30 && i <= 90],
  ] as const)('answers %s in order, as an in-memory sort would', async (_case, direction, bounds, keep) => {
    const filter = { available: { $gt: 0 }, ...(Object.keys(bounds).length && { _id: bounds }) };
    const found = await pages.find(filter).sort({ _id: direction }).limit(25).toArray();
    expect(found.map((doc) => String(doc._id))).toEqual(expected(direction, keep, 25));

    const explained = await connection.db!.command({ explain: { find: 'pages', filter, sort: { _id: direction }, limit: 25 } });
    expect(explained.sortPushdown).toBe(true);
    expect(JSON.stringify(explained.queryPlanner)).toMatch(/USING INDEX \S+__id_/);
    expect(JSON.stringify(explained.queryPlanner)).not.toMatch(/TEMP B-TREE/);
  });

  it('still sorts in memory by any other field', async () => {
    const found = await pages.find({ available: 0 }).sort({ available: 1, _id: -1 }).limit(3).toArray();
    expect(found.map((doc) => String(doc._id))).toEqual([ids[198], ids[195], ids[192]].map(String));
  });
});
