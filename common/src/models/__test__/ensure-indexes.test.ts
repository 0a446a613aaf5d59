import mongoose from 'mongoose';
import { isDuplicateKey } from '../is-duplicate-key';
import { ensureIndexes } from '../ensure-indexes';

// A connection of its own with autoIndex off, as a service starts: nothing builds the indexes but ensureIndexes.
let connection: mongoose.Connection;

beforeAll(async () => {
  connection = await mongoose
    .createConnection(process.env.MONGO_URI!, { dbName: `ensure_indexes_${process.pid}`, autoIndex: false })
    .asPromise();
});

afterAll(async () => {
  await connection.dropDatabase();
  await connection.close();
});

it('builds a unique index before the first write, so the first duplicate is already refused', async () => {
  const Seat = connection.model('Seat', new mongoose.Schema({ lock: { type: String, unique: true } }));

  await ensureIndexes(connection);

  const indexes = (await Seat.listIndexes()) as { name: string }[];
  const names = indexes.map((index) => index.name);
  expect(names).toContain('lock_1');
  await Seat.create({ lock: 'ticket:1' });
  const duplicate = await Seat.create({ lock: 'ticket:1' }).catch((err: unknown) => err);
  expect(isDuplicateKey(duplicate)).toBe(true);
});
