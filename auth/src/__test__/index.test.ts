import mongoose from 'mongoose';
import path from 'path';
import { databaseUri as serverDatabaseUri } from '@ticketing/common';
import { freePort, runEntryPoint, waitUntil } from '@ticketing/common/testing';

const entry = path.join(__dirname, '../index.ts');
const startAuth = (env: NodeJS.ProcessEnv) => runEntryPoint(entry, env);

const databaseUri = (name: string) => serverDatabaseUri(process.env.MONGO_URI!, name);

it('refuses to start without JWT_KEY, REDIS_HOST and MONGO_URI, naming them', async () => {
  const auth = startAuth({});
  expect(await auth.exited).toBe(1);
  expect(auth.output()).toContain('Missing required environment variable(s): JWT_KEY, REDIS_HOST, MONGO_URI');
});

it('refuses to start without MONGO_URI alone', async () => {
  const auth = startAuth({ JWT_KEY: 'key', REDIS_HOST: process.env.REDIS_HOST, REDIS_PORT: process.env.REDIS_PORT });
  expect(await auth.exited).toBe(1);
  expect(auth.output()).toContain('Missing required environment variable(s): MONGO_URI');
});

it('serves requests, then shuts down cleanly on SIGTERM', async () => {
  const port = await freePort();
  const auth = startAuth({
    JWT_KEY: 'key',
    MONGO_URI: databaseUri('auth_index_test'),
    REDIS_HOST: process.env.REDIS_HOST,
    REDIS_PORT: process.env.REDIS_PORT,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  await waitUntil(() => auth.output().includes('listening on'), 15_000, 'auth to listen');

  const res = await fetch(`http://127.0.0.1:${port}/api/users/currentuser`);
  expect(await res.json()).toEqual({ currentUser: null });

  auth.child.kill('SIGTERM');
  expect(await auth.exited).toBe(0);
  expect(auth.output()).toContain('SIGTERM: finishing in-flight work and shutting down');
});

it('builds its indexes before it listens, so the first sign-ups already meet the unique email index', async () => {
  const uri = databaseUri(`auth_indexes_${process.pid}`);
  const connection = await mongoose.createConnection(uri).asPromise();
  await connection.dropDatabase();
  const port = await freePort();
  const auth = startAuth({
    JWT_KEY: 'key',
    MONGO_URI: uri,
    REDIS_HOST: process.env.REDIS_HOST,
    REDIS_PORT: process.env.REDIS_PORT,
    PORT: String(port),
    HOST: '127.0.0.1',
  });
  try {
    await waitUntil(() => auth.output().includes('listening on'), 15_000, 'auth to listen');
    expect(await connection.collection('users').indexes()).toContainEqual(expect.objectContaining({ key: { email: 1 }, unique: true }));
  } finally {
    auth.child.kill('SIGTERM');
    await auth.exited;
    await connection.dropDatabase();
    await connection.close();
  }
});
