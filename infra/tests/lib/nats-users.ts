import { readRepoFile } from './repo';
import { exportedFunction, loadTsModule } from './ts-module';

const source = 'common/src/bus/nats-users.ts';

/** The NATS users and permissions common renders for each transport's server: the code the services run with. */
export const expectedNatsAuthorization = (): { natsStreaming: string; jetStream: string } => {
  const loaded = loadTsModule(source);
  const render = (name: string) => (exportedFunction(loaded, name, source) as () => string)();
  return { natsStreaming: render('natsStreamingAuthorization'), jetStream: render('jetStreamAuthorization') };
};

/** A service's NATS user as the table has it: what it publishes and consumes. */
export interface TableUser {
  user: string;
  publishes: string[];
  consumes: string[];
}

/** The users of common/src/bus/nats-users.ts. */
export const natsUsersTable = (): TableUser[] => {
  const users = loadTsModule(source).natsUsers;
  if (!Array.isArray(users)) throw new Error(`${source} exports no natsUsers`);
  return users as TableUser[];
};

/**
 * The services docs/design.md's events table has publish and consume each subject: the `published by` and
 * `consumed by` columns, naming services among `services` (a listener's `deadletter` is every consumer's).
 */
export const designEventRoles = (
  services: string[],
  design = readRepoFile('docs/design.md'),
): { publishes: Map<string, Set<string>>; consumes: Map<string, Set<string>> } => {
  const publishes = new Map(services.map((service) => [service, new Set<string>()]));
  const consumes = new Map(services.map((service) => [service, new Set<string>()]));
  const rows = design.split('\n').filter((line) => /^\| [a-z]+:[a-z]+ \||^\| deadletter \|/.test(line));
  for (const row of rows) {
    const [subject, , publishedBy, consumedBy] = row.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
    const named = (text: string) => services.filter((service) => new RegExp(`(^|[\\s,])${service}\\b`).test(text));
    named(publishedBy).forEach((service) => publishes.get(service)?.add(subject));
    named(consumedBy).forEach((service) => consumes.get(service)?.add(subject));
  }
  return { publishes, consumes };
};
