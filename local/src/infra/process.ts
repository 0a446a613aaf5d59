import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import net from 'net';

export { freePort } from '@ticketing/common/testing';

/** A server process this machine started, stopped with `stop()` or when Node exits. */
export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// Stop every child even when the parent fails or is interrupted.
process.once('exit', () => running.forEach((child) => child.kill('SIGKILL')));

/** Kills `child` when this process exits, however it exits, so that no server outlives the command that started it. */
export const killOnExit = (child: ChildProcess): void => {
  running.add(child);
  child.once('exit', () => running.delete(child));
};

export const waitForPort = async (port: number, timeoutMs: number, child?: ChildProcess): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`exited with code ${child.exitCode} before listening`);
    if (await canConnect(port)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
};

export const canConnect = (port: number, host = '127.0.0.1'): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

export interface StartOptions extends SpawnOptions {
  /** Port the process listens on once it is ready. */
  port: number;
  readyTimeoutMs?: number;
  /** Where stdout/stderr go; by default the last lines are kept for error messages. */
  onOutput?: (line: string) => void;
}

export const startProcess = async (
  name: string,
  command: string,
  args: string[],
  { port, readyTimeoutMs = 30_000, onOutput, ...spawnOptions }: StartOptions,
): Promise<ManagedProcess> => {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...spawnOptions });
  killOnExit(child);
  const tail: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      onOutput?.(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = () => stopChild(child);
  try {
    await waitForPort(port, readyTimeoutMs, child);
  } catch (err) {
    await stop();
    throw new Error(`${name} did not start: ${(err as Error).message}\n${tail.join('\n')}`);
  }
  return { name, child, stop };
};

export const stopChild = (child: ChildProcess, graceMs = 5000): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
};
