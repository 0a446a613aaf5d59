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
