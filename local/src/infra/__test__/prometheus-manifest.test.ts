// Prometheus run with the observability manifest's own prometheus.yml (extracted from the YAML): locally its
// Kubernetes discovery is swapped for a targets file, and what it scrapes and how often stay the manifest's.
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { startMetricsServer } from '@ticketing/common';
import { waitUntil } from '@ticketing/common/testing';
import { manifestPrometheusConfig, writeScrapeTargets } from '../prometheus-config';
import { freePort, startProcess } from '../process';
import { startPrometheus } from '../servers';
import { ensureTool } from '../tools';

interface ActiveTarget {
  labels: Record<string, string>;
  health: string;
  scrapeInterval: string;
}

const activeTargets = async (url: string): Promise<ActiveTarget[]> => {
  const res = await fetch(`${url}/api/v1/targets`);
  return ((await res.json()) as { data: { activeTargets: ActiveTarget[] } }).data.activeTargets;
};

it('scrapes the processes of the targets file, at the interval and with the labels of the manifest', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-manifest-'));
  const targetsFile = path.join(dir, 'targets.json');
  writeScrapeTargets(targetsFile, []);
  const exporter = await startMetricsServer(0, '127.0.0.1');
  const prometheus = await startPrometheus({ targetsFile });
  try {
    const { port } = exporter.address() as { port: number };
    writeScrapeTargets(targetsFile, [{ address: `127.0.0.1:${port}`, app: 'orders', pod: 'orders-1' }]);
    const url = prometheus.env.PROMETHEUS_URL;
    await waitUntil(async () => (await activeTargets(url)).some((target) => target.health === 'up'), 30_000, 'the target to be scraped');

    const [target] = await activeTargets(url);
    const manifest = YAML.parse(manifestPrometheusConfig()) as { global: { scrape_interval: string } };
    expect(target).toMatchObject({
      health: 'up',
      scrapeInterval: manifest.global.scrape_interval,
      labels: { app: 'orders', pod: 'orders-1', job: 'services' },
    });
  } finally {
    await prometheus.stop();
    await new Promise((resolve) => exporter.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

it('loads the manifest prometheus.yml as it ships, Kubernetes discovery and all', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prometheus-as-shipped-'));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), manifestPrometheusConfig());
  const port = await freePort();
  const prometheus = await startProcess(
    'prometheus',
    ensureTool('prometheus'),
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { port },
  );
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/status/config`);
    const loaded = YAML.parse(((await res.json()) as { data: { yaml: string } }).data.yaml) as {
      scrape_configs: { job_name: string; kubernetes_sd_configs?: unknown[] }[];
    };
    expect(loaded.scrape_configs.map((job) => [job.job_name, job.kubernetes_sd_configs?.length])).toEqual([['services', 1]]);
  } finally {
    await prometheus.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
