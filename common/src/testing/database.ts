import crypto from 'crypto';
import mongoose from 'mongoose';

/**
 * Gives the calling test file its own database on the server named by MONGO_URI,
 * empties it between tests and drops it at the end.
 */
export const useTestDatabase = () => {
  beforeAll(async () => {
    const uri = process.env.MONGO_URI;
    if (!uri) throw new Error('MONGO_URI is not set: run the suite with `npm test`, which starts a database');
    const dbName = `test_${process.env.JEST_WORKER_ID ?? 0}_${crypto.randomBytes(4).toString('hex')}`;
    await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000 });
    await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  });

  afterEach(async () => {
    await clearDatabase();
  });

  afterAll(async () => {
    await mongoose.connection.dropDatabase();
    await mongoose.disconnect();
  });
};

export const clearDatabase = async () => {
  const collections = await mongoose.connection.db!.collections();
  await Promise.all(collections.map((collection) => collection.deleteMany({})));
};
