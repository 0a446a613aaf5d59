import mongoose from 'mongoose';

/**
 * Builds every model's indexes and checks that each one exists. A service awaits it
 * before taking requests: a unique index is a guarantee (no oversell, one payment per order).
 */
export const ensureIndexes = async (connection: mongoose.Connection = mongoose.connection): Promise<void> => {
  for (const model of Object.values(connection.models)) {
    await model.syncIndexes();
    const { toCreate } = await model.diffIndexes();
    if (toCreate.length > 0) throw new Error(`${model.modelName}: indexes still missing after building them: ${JSON.stringify(toCreate)}`);
  }
};
