import type { Subjects } from '../events/subjects';

// The NATS users of the system and what each may do: the one source of the servers' authorization. It imports
// nothing at run time, so infra's manifest checks evaluate this very file (infra/tests/lib/ts-module.ts).

type Subject = `${Subjects}`;

export interface NatsUser {
  /** The user name the server knows. */
  user: string;
  /** The variable (and nats-secret key) its password comes from. */
  passwordVariable: string;
  /** The subjects it publishes: its events, and `deadletter` when it has listeners. */
  publishes: Subject[];
  /** The subjects it consumes. */
  consumes: Subject[];
  /**
   * The JetStream consumers it may use: `queue group` its durables `<user>-service_<subject>` only; `any` any consumer
   * of the stream (live's are one per process, balances' queue group may be renamed for a rebuild, a watcher's are
   * ordered consumers with made-up names).
   */
  consumers: 'queue group' | 'any';
  /** Whether it acknowledges what it consumes (a watcher's ordered consumer does not). */
  acks: boolean;
}

const service = (user: string, publishes: Subject[], consumes: Subject[], consumers: NatsUser['consumers'] = 'queue group'): NatsUser => ({
  user,
  passwordVariable: `NATS_${user.toUpperCase()}_PASSWORD`,
  publishes: consumes.length > 0 ? [...publishes, 'deadletter'] : publishes,
  consumes,
  consumers,
  acks: true,
});

const everySubject: Subject[] = [
  'ticket:created',
  'ticket:updated',
  'order:created',
  'order:cancelled',
  'expiration:complete',
  'payment:created',
  'payment:failed',
  'payment:refunded',
  'reservation:rejected',
  'refund:requested',
  'deadletter',
];

/** Every subject a listener may park, which the dead-letter tool may publish again. */
const replayableSubjects = everySubject.filter((subject) => subject !== 'deadletter');

/** Each service that uses the event bus, as docs/design.md's events table has them, and the read-only watcher. */
export const natsUsers: NatsUser[] = [
  service('tickets', ['ticket:created', 'ticket:updated', 'reservation:rejected'], ['order:created', 'order:cancelled', 'payment:created']),
  service(
    'orders',
    ['order:created', 'order:cancelled', 'refund:requested'],
    [
      'ticket:created',
      'ticket:updated',
      'expiration:complete',
      'payment:created',
      'payment:failed',
      'payment:refunded',
      'reservation:rejected',
    ],
  ),
  service('payments', ['payment:created', 'payment:failed', 'payment:refunded'], ['order:created', 'order:cancelled', 'refund:requested']),
  service('expiration', ['expiration:complete'], ['order:created']),
  service('balances', [], ['payment:created', 'payment:refunded'], 'any'),
  service(
    'live',
    [],
    ['ticket:created', 'ticket:updated', 'order:created', 'order:cancelled', 'payment:created', 'payment:failed', 'payment:refunded'],
    'any',
  ),
  service('queue', [], ['ticket:created', 'ticket:updated', 'order:created', 'order:cancelled', 'payment:created']),
  { user: 'events', passwordVariable: 'NATS_EVENTS_PASSWORD', publishes: [], consumes: everySubject, consumers: 'any', acks: false },
  // The operator's dead-letter tool reads the parked messages and may publish any of them again on its own subject.
  {
    user: 'deadletters',
    passwordVariable: 'NATS_DEADLETTERS_PASSWORD',
    publishes: replayableSubjects,
    consumes: ['deadletter'],
    consumers: 'any',
    acks: true,
  },
];

/** JetStream's stream, as jetstream-bus.ts names it. */
const STREAM = 'ticketing';

/** A JetStream consumer's name, as jetstream-bus.ts makes it: no `.`, `*`, `>`, whitespace or slash. */
const consumerName = (queueGroup: string, subject: string) => `${queueGroup}_${subject}`.replace(/[^\w-]/g, '-');

/** The API a durable consumer of the user's queue group needs: create (with its one filter), info, pull, ack. */
const durableConsumerApi = (user: NatsUser): string[] =>
  user.consumes.flatMap((subject) => {
    const name = consumerName(`${user.user}-service`, subject);
    return [
      `$JS.API.CONSUMER.CREATE.${STREAM}.${name}.${subject}`,
      `$JS.API.CONSUMER.INFO.${STREAM}.${name}`,
      `$JS.API.CONSUMER.MSG.NEXT.${STREAM}.${name}`,
      `$JS.ACK.${STREAM}.${name}.>`,
    ];
  });

/**
 * The API of any consumer of the stream: create (an ordered consumer of several subjects names neither consumer nor
 * filter), info, pull, delete, and ack unless it acks nothing.
 */
const anyConsumerApi = (user: NatsUser): string[] => [
  `$JS.API.CONSUMER.CREATE.${STREAM}`,
  `$JS.API.CONSUMER.CREATE.${STREAM}.>`,
  ...['INFO', 'MSG.NEXT', 'DELETE'].map((action) => `$JS.API.CONSUMER.${action}.${STREAM}.*`),
  ...(user.acks ? [`$JS.ACK.${STREAM}.*.>`] : []),
];

/** What a JetStream client of `user` publishes: its subjects, the stream's API, and its consumers' API and acks. */
export const jetStreamPublishAllowed = (user: NatsUser): string[] => [
  ...user.publishes,
  '$JS.API.INFO',
  ...['CREATE', 'UPDATE', 'INFO'].map((action) => `$JS.API.STREAM.${action}.${STREAM}`),
  ...(user.consumers === 'any' ? anyConsumerApi(user) : durableConsumerApi(user)),
];

/** Where a JetStream client of `user` takes replies and the messages it pulls. */
export const inboxPrefixOf = (user: string) => `_INBOX_${user}`;

/** A JetStream client subscribes to its own inboxes only: a user cannot read nor answer what another is sent. */
export const jetStreamSubscribeAllowed = (user: NatsUser): string[] => [`${inboxPrefixOf(user.user)}.>`];

/** NATS Streaming's cluster id, as the manifests and `npm start` run it. */
const CLUSTER_ID = 'ticketing';

/** The user the NATS Streaming server connects to its own embedded NATS server as: it may do anything. */
export const natsStreamingServerUser = { user: 'stan', passwordVariable: 'NATS_STAN_PASSWORD' } as const;

/**
 * What a NATS Streaming client of `user` publishes: its subjects on the cluster's `_STAN.pub` prefix, the cluster's
 * requests, and acks, which go to inboxes the streaming server makes (`_INBOX.`, as every node-nats-streaming client's).
 */
export const natsStreamingPublishAllowed = (user: NatsUser): string[] => [
  ...user.publishes.map((subject) => `_STAN.pub.${CLUSTER_ID}.${subject}`),
  ...['discover', 'sub', 'unsub', 'subclose', 'close'].map((request) => `_STAN.${request}.${CLUSTER_ID}`),
  `_STAN.discover.${CLUSTER_ID}.pings`,
  '_INBOX.>',
];

/** ... and subscribes: its inboxes and its publish acks. */
export const natsStreamingSubscribeAllowed: string[] = ['_INBOX.>', '_STAN.acks.>'];

interface AuthorizedUser {
  user: string;
  passwordVariable: string;
  permissions?: { publish: string[]; subscribe: string[] };
}

const list = (subjects: string[], indent: string) => subjects.map((subject) => `${indent}${JSON.stringify(subject)}`);

const userEntry = ({ user, passwordVariable, permissions }: AuthorizedUser): string[] => [
  '    {',
  `      user: ${user}`,
  `      password: $${passwordVariable}`,
  ...(permissions
    ? [
        '      permissions: {',
        '        publish: { allow: [',
        ...list(permissions.publish, '          '),
        '        ] }',
        '        subscribe: { allow: [',
        ...list(permissions.subscribe, '          '),
        '        ] }',
        '      }',
      ]
    : []),
  '    }',
];

const authorization = (users: AuthorizedUser[]) => ['authorization {', '  users = [', ...users.flatMap(userEntry), '  ]', '}'];

/** The `authorization` block of a JetStream server's nats.conf for these users, each password a `$VARIABLE`. */
export const jetStreamAuthorization = (users: NatsUser[] = natsUsers): string =>
  authorization(
    users.map((user) => ({ ...user, permissions: { publish: jetStreamPublishAllowed(user), subscribe: jetStreamSubscribeAllowed(user) } })),
  ).join('\n');

/**
 * The same for NATS Streaming's embedded server, with the streaming server's own user, which its `streaming` block
 * names so that it connects as it.
 */
export const natsStreamingAuthorization = (users: NatsUser[] = natsUsers): string =>
  [
    ...authorization([
      natsStreamingServerUser,
      ...users.map((user) => ({
        ...user,
        permissions: { publish: natsStreamingPublishAllowed(user), subscribe: natsStreamingSubscribeAllowed },
      })),
    ]),
    'streaming {',
    `  username: ${natsStreamingServerUser.user}`,
    `  password: $${natsStreamingServerUser.passwordVariable}`,
    '}',
  ].join('\n');
