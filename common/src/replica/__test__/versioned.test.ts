import mongoose from 'mongoose';
import { useTestDatabase } from '../../testing';
import { applyVersion, insertReplica, OutOfOrderEventError } from '../versioned';

useTestDatabase();

interface Replica {
  _id: string;
  title: string;
  version: number;
}
const Replica = mongoose.model<Replica>('VersionedReplica', new mongoose.Schema<Replica>({ _id: String, title: String, version: Number }));

it('applies version N on top of N-1', async () => {
  await insertReplica(Replica, { _id: 'r1', title: 'v0', version: 0 });
  expect(await applyVersion(Replica, 'r1', 1, { title: 'v1' })).toBe('applied');
  expect(await Replica.findById('r1').lean()).toMatchObject({ title: 'v1', version: 1 });
});

it('treats an old or repeated version as a harmless duplicate', async () => {
  await insertReplica(Replica, { _id: 'r1', title: 'v0', version: 0 });
  await applyVersion(Replica, 'r1', 1, { title: 'v1' });
  expect(await applyVersion(Replica, 'r1', 1, { title: 'v1 again' })).toBe('duplicate');
  expect(await insertReplica(Replica, { _id: 'r1', title: 'v0 again', version: 0 })).toBe('duplicate');
  expect(await Replica.findById('r1').lean()).toMatchObject({ title: 'v1', version: 1 });
});

it('refuses a version that skips one, leaving the record as it was', async () => {
  await insertReplica(Replica, { _id: 'r1', title: 'v0', version: 0 });
  await expect(applyVersion(Replica, 'r1', 2, { title: 'v2' })).rejects.toBeInstanceOf(OutOfOrderEventError);
  expect(await Replica.findById('r1').lean()).toMatchObject({ title: 'v0', version: 0 });
});

it('refuses an update for a record it has not seen created', async () => {
  await expect(applyVersion(Replica, 'unknown', 1, { title: 'v1' })).rejects.toBeInstanceOf(OutOfOrderEventError);
});
