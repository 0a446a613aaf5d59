import { stopWorkers, type Worker } from '../run-service';

const recording = (name: string, stopped: string[]): Worker => ({
  start: () => {},
  stop: async () => {
    await new Promise((resolve) => setImmediate(resolve));
    stopped.push(name);
  },
});

it('stops the workers in the reverse of their start order, each after the previous has stopped', async () => {
  const stopped: string[] = [];

  await stopWorkers(['redis', 'rounds', 'server'].map((name) => recording(name, stopped)));

  expect(stopped).toEqual(['server', 'rounds', 'redis']);
});
