import mongoose, { Types } from 'mongoose';
import { runLoad } from './load';

export interface RawRow {
  documents: number;
  insertsPerSecond: number;
  findsByIdPerSecond: number;
  /** A compare-and-set as the services write: filter on _id and version. */
  versionedUpdatesPerSecond: number;
  /** A query on another field, which the database answers by scanning the collection. */
  scansPerSecond: number;
  /** The first page of a listing as the tickets service asks for it: a filter, sorted by _id, 21 documents. */
  listingPagesPerSecond: number;
}

const SAMPLES = 300;
const SCAN_SAMPLES = 20;

/**
 * The database server alone, one request at a time over one connection: what one round trip
 * costs, where the services' figures meet the database's own ceiling.
 */
export const measureRawDatabase = async (mongoUri: string, levels: number[]): Promise<RawRow[]> => {
  const connection = await mongoose.createConnection(mongoUri, { dbName: `bench_raw_${process.pid}` }).asPromise();
  const docs = connection.collection<{ _id: Types.ObjectId; title: string; version: number; available: number }>('docs');
  const doc = () => ({ _id: new Types.ObjectId(), title: 'Bench', price: 20, userId: 'bench', version: 0, available: 1, outbox: [] });
  const rows: RawRow[] = [];
  try {
    for (const level of levels) {
      while ((await docs.estimatedDocumentCount()) < level) {
        await docs.insertMany(Array.from({ length: Math.min(1_000, level - (await docs.estimatedDocumentCount())) }, doc));
      }
      const ids: Types.ObjectId[] = [];
      const inserts = await runLoad(SAMPLES, 1, async () => {
        const inserted = doc();
        await docs.insertOne(inserted);
        ids.push(inserted._id);
      });
      const finds = await runLoad(SAMPLES, 1, (i) => docs.findOne({ _id: ids[i] }));
      const updates = await runLoad(SAMPLES, 1, (i) => docs.updateOne({ _id: ids[i], version: 0 }, { $inc: { version: 1 } }));
      const scans = await runLoad(SCAN_SAMPLES, 1, (i) => docs.findOne({ title: `absent ${i}` }));
      const listingPages = await runLoad(SCAN_SAMPLES, 1, () =>
        docs
          .find({ available: { $gt: 0 } })
          .sort({ _id: -1 })
          .limit(21)
          .toArray(),
      );
      rows.push({
        documents: level,
        insertsPerSecond: inserts.perSecond,
        findsByIdPerSecond: finds.perSecond,
        versionedUpdatesPerSecond: updates.perSecond,
        scansPerSecond: scans.perSecond,
        listingPagesPerSecond: listingPages.perSecond,
      });
    }
    return rows;
  } finally {
    await connection.dropDatabase();
    await connection.close();
  }
};

export const formatRawTable = (rows: RawRow[]): string =>
  [
    '| documents | inserts/s | finds by _id/s | updates by _id + version/s | finds by another field (a scan)/s | listing pages (filter, sort by _id, 21)/s |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.documents} | ${row.insertsPerSecond.toFixed(0)} | ${row.findsByIdPerSecond.toFixed(0)} | ` +
        `${row.versionedUpdatesPerSecond.toFixed(0)} | ${row.scansPerSecond.toFixed(0)} | ${row.listingPagesPerSecond.toFixed(0)} |`,
    ),
  ].join('\n');
