import mongoose from 'mongoose';
import { ensureIndexes } from '@ticketing/common';
import { useServiceTest } from '@ticketing/common/testing';
import { orderOutbox } from '../../events/outbox';
import '../admission-use';
import '../buyer-entry';
import '../order';
import '../stock-entry';
import '../ticket';

useServiceTest(orderOutbox);

it('builds every index the models declare, as the service does before it listens', async () => {
  await expect(ensureIndexes(mongoose.connection)).resolves.toBeUndefined();
  const stockIndexes = await mongoose.connection.collection('stockentries').indexes();
  expect(stockIndexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { op: 1 }, unique: true })]));
  const buyerIndexes = await mongoose.connection.collection('buyerentries').indexes();
  expect(buyerIndexes).toEqual(expect.arrayContaining([expect.objectContaining({ key: { op: 1 }, unique: true })]));
});
