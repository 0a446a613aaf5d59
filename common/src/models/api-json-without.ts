import { apiJSON } from './to-json';

/** apiJSON that also leaves out a model's private fields. */
export const apiJSONWithout = (...hidden: string[]) => ({
  ...apiJSON,
  transform(doc: unknown, ret: Record<string, unknown>) {
    apiJSON.transform(doc, ret);
    for (const field of hidden) delete ret[field];
    return ret;
  },
});
