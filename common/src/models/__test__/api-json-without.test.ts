import mongoose from 'mongoose';
import { apiJSONWithout } from '../api-json-without';

const Secretive = mongoose.model(
  'SecretiveThing',
  new mongoose.Schema({ name: String, secret: String, lock: String, outbox: [String] }, { toJSON: apiJSONWithout('secret', 'lock') }),
);

it('shows id instead of _id and leaves out __v, the outbox and the named fields', () => {
  const thing = new Secretive({ name: 'a', secret: 's', lock: 'l', outbox: ['e'] });
  expect(thing.toJSON()).toEqual({ id: thing.id, name: 'a' });
});
