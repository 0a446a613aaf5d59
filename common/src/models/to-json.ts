/** toJSON options that show a document the way the API does: `id`, no `_id`, `__v` or outbox. */
export const apiJSON = {
  versionKey: false,
  transform(_doc: unknown, ret: Record<string, unknown>) {
    ret.id = String(ret._id);
    delete ret._id;
    delete ret.outbox;
    return ret;
  },
};
