import { redisFromEnv, runService } from '@ticketing/common';
import { buildApp } from './app';
import { queueConfigFromEnv } from './config';
import { buildListeners } from './events/listeners';
import { AdmissionRounds } from './services/admission-rounds';
import { QueueStatuses } from './services/queue-status';
import { RedisConnection } from './services/redis-connection';
import { WaitingRoom } from './services/waiting-room';
import { watchWaitingRooms } from './services/waiting-room-metrics';
import { QueueServer } from './socket/queue-server';

const config = queueConfigFromEnv();
const redis = new RedisConnection(redisFromEnv());
const room = new WaitingRoom(redis.commands, config);
const statuses = new QueueStatuses(room, config.admissionMs);
const rounds = new AdmissionRounds(room, config.admitIntervalMs);
watchWaitingRooms(room);
const server = new QueueServer({ room, statuses, commands: redis.commands, subscriber: redis.subscriber, channel: room.channel }, config);

void runService({
  name: 'queue',
  app: buildApp({ room, statuses, rounds }, () => redis.isReady()),
  env: ['JWT_KEY', 'ADMISSION_KEY', 'REDIS_HOST'],
  mongo: false,
  listeners: (bus) => buildListeners(bus, { room, rounds }),
  // Redis first: the rounds and the sockets need it; runService stops them in the reverse order.
  workers: [redis, rounds, server],
  upgrades: server,
});
