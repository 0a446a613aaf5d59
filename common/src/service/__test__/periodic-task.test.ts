import { logger } from '../../observability/logger';
import { logFailedPass, PeriodicTask } from '../periodic-task';

/** A pass that waits until `finish` is called, counting how many passes started. */
const heldPasses = () => {
  const held = { started: 0, finish: () => {} };
  const pass = () => {
    held.started += 1;
    return new Promise<number>((resolve) => (held.finish = () => resolve(held.started)));
  };
  return { held, pass };
};

describe('PeriodicTask', () => {
  it('hands a pass asked for while one runs the running one', async () => {
    const { held, pass } = heldPasses();
    const task = new PeriodicTask({ intervalMs: 60_000, pass, failed: () => -1 });
    const first = task.run();
    const second = task.run();
    held.finish();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    expect(held.started).toBe(1);
  });

  it('reports a failed pass, resolves to what failed gives, and runs the next one', async () => {
    const failures: string[] = [];
    let calls = 0;
    const task = new PeriodicTask({
      intervalMs: 60_000,
      pass: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('database away')) : Promise.resolve(calls);
      },
      failed: (err) => {
        failures.push(err.message);
        return 0;
      },
    });
    await expect(task.run()).resolves.toBe(0);
    await expect(task.run()).resolves.toBe(2);
    expect(failures).toEqual(['database away']);
  });

  it('runs on its interval, at once only with runNow, and stop waits for the pass in progress', async () => {
    const { held, pass } = heldPasses();
    const task = new PeriodicTask({ intervalMs: 20, pass, failed: () => -1 });
    task.start();
    expect(held.started).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(held.started).toBe(1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(stopped).toBe(false);
    held.finish();
    await stopping;
    expect(held.started).toBe(1);

    task.start({ runNow: true });
    expect(held.started).toBe(2);
    held.finish();
    await task.stop();
  });

  it('logs a failed pass with logFailedPass and resolves it to the result given', async () => {
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => {});
    try {
      const task = new PeriodicTask({
        intervalMs: 60_000,
        pass: () => Promise.reject(new Error('timed out')),
        failed: logFailedPass('[svc] sweep', 0),
      });
      await expect(task.run()).resolves.toBe(0);
      expect(logged).toHaveBeenCalledWith('[svc] sweep failed: timed out');
    } finally {
      logged.mockRestore();
    }
  });
});
