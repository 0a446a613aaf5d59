import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { freePort } from '../infra/process';
import { ScrapeTarget, writeScrapeTargets } from '../infra/prometheus-config';
import { Server, startPrometheus } from '../infra/servers';

/** Prometheus's own port when it is free, as a person expects to find it; any free one otherwise. */
const PROMETHEUS_PORT = 9090;

const portIsFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });

/** Prometheus scraping the processes the system adds as they start. */
export class Observability {
  private readonly targets: ScrapeTarget[] = [];

  private constructor(
    private readonly prometheus: Server,
    private readonly targetsFile: string,
    private readonly targetsDir: string,
  ) {}

  static async start(dataDir?: string): Promise<Observability> {
    const targetsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ticketing-scrape-targets-'));
    const targetsFile = path.join(targetsDir, 'targets.json');
    writeScrapeTargets(targetsFile, []);
    const port = (await portIsFree(PROMETHEUS_PORT)) ? PROMETHEUS_PORT : await freePort();
    const prometheus = await startPrometheus({ dataDir: dataDir && path.join(dataDir, 'prometheus'), port, targetsFile });
    return new Observability(prometheus, targetsFile, targetsDir);
  }

  get metricsUrl(): string {
    return this.prometheus.env.PROMETHEUS_URL;
  }

  /** Scrapes one more process from the next refresh on (about a second). */
  addTarget(target: ScrapeTarget): void {
    this.targets.push(target);
    writeScrapeTargets(this.targetsFile, this.targets);
  }

  async stop(): Promise<void> {
    await this.prometheus.stop();
    fs.rmSync(this.targetsDir, { recursive: true, force: true });
  }
}
