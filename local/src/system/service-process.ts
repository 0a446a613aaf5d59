import { ChildProcess, spawn } from 'child_process';
import { canConnect, killOnExit, stopChild } from '../infra/process';

export interface ServiceProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  port: number;
  /** Path that answers 200 once the process is ready; without one, ready once the port accepts connections. */
  healthPath?: string;
  log: (name: string, line: string) => void;
  /** What the supervisor does (an exit, a restart); the process's own output when absent. */
  notice?: (name: string, line: string) => void;
  readyTimeoutMs?: number;
}

/**
 * One of the system's processes, supervised like a Kubernetes pod: started,
 * waited for until healthy, and restarted when it dies on its own.
 */
export class ServiceProcess {
  private child?: ChildProcess;
  private supervised = false;
  private readonly tail: string[] = [];
  restarts = 0;

  constructor(readonly options: ServiceProcessOptions) {}

  get name() {
    return this.options.name;
  }

  get url() {
    return `http://127.0.0.1:${this.options.port}`;
  }

  get pid() {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    this.supervised = true;
    this.spawn();
    await this.waitUntilHealthy();
  }

  /** Sends a signal and, unlike a crash, does not restart the process (for fault tests). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.supervised = false;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill(signal);
    });
  }

  async stop(): Promise<void> {
    this.supervised = false;
    if (this.child) await stopChild(this.child, 10_000);
  }

  recentOutput(): string {
    return this.tail.join('\n');
  }

  private spawn(): void {
    const { command, args, cwd, env, name, log, notice = log } = this.options;
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(child);
    this.child = child;
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        this.tail.push(line);
        if (this.tail.length > 50) this.tail.shift();
        log(name, line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => {
      if (!this.supervised || this.child !== child) return;
      notice(name, `exited (${signal ?? `code ${code}`}); restarting in 1 s`);
      this.restarts += 1;
      setTimeout(() => this.supervised && this.child === child && this.spawn(), 1_000).unref();
    });
  }

  async waitUntilHealthy(): Promise<void> {
    const { readyTimeoutMs = 60_000, healthPath, name } = this.options;
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (await this.isHealthy(healthPath)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${name} was not healthy within ${readyTimeoutMs} ms:\n${this.recentOutput()}`);
  }

  private async isHealthy(healthPath: string | undefined): Promise<boolean> {
    if (healthPath === undefined) return canConnect(this.options.port);
    try {
      const res = await fetch(`${this.url}${healthPath}`, { signal: AbortSignal.timeout(2_000) });
      return res.ok;
    } catch {
      return false;
    }
  }
}
