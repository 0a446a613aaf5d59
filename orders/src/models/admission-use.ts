import mongoose from 'mongoose';

/**
 * A waiting-room admission an order was placed with, under the admission's id: inserting a second one
 * fails on the unique `_id`, so one admission places one order. (Not a unique sparse index on the order:
 * FerretDB ignores `sparse`, so the index it builds is never the one the schema asks for.)
 */
export interface AdmissionUseFields {
  _id: string;
  orderId: string;
  usedAt: Date;
}

const admissionUseSchema = new mongoose.Schema<AdmissionUseFields>(
  {
    _id: { type: String, required: true },
    orderId: { type: String, required: true },
    usedAt: { type: Date, required: true, default: () => new Date() },
  },
  { versionKey: false },
);

export const AdmissionUse = mongoose.model<AdmissionUseFields>('AdmissionUse', admissionUseSchema);
