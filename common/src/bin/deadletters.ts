import { connectEventBus } from '../bus/connect-event-bus';
import { runDeadLettersCommand } from '../bus/dead-letter-store';

// `node common/build/bin/deadletters.js list|replay <id>`: the cluster's one-off Job (infra/k8s-deadletters),
// with the event bus the services use (EVENT_BUS, NATS_URL, ...).
const main = async (): Promise<number> => {
  const bus = await connectEventBus('deadletters');
  try {
    return await runDeadLettersCommand(bus, process.argv.slice(2));
  } finally {
    await bus.close();
  }
};

main()
  .then((code) => process.exit(code))
  .catch((err: Error) => {
    console.error(`[deadletters] ${err.message}`);
    process.exit(1);
  });
