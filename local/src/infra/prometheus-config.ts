import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { configMapFile } from './manifest-config';
import { repoRoot } from './tools';

/** The manifest whose ConfigMap prometheus-config holds the cluster's prometheus.yml. */
export const prometheusManifest = path.join(repoRoot, 'infra/k8s-observability/prometheus.yaml');

interface ScrapeConfig {
  job_name: string;
  kubernetes_sd_configs?: unknown;
  relabel_configs?: unknown;
  file_sd_configs?: unknown;
}

/** The prometheus.yml of the manifest's ConfigMap prometheus-config, as the cluster's server reads it. */
export const manifestPrometheusConfig = (file = prometheusManifest): string => configMapFile(file, 'prometheus-config', 'prometheus.yml');

/**
 * The manifest's prometheus.yml for a local server: the same intervals and jobs, each job's targets read from
 * `targetsFile` (which the local system writes as its processes start) instead of found through the Kubernetes API.
 */
export const localPrometheusConfig = (text: string, targetsFile: string): string => {
  const config = YAML.parse(text) as { scrape_configs?: ScrapeConfig[] };
  const scrapeConfigs = (config.scrape_configs ?? []).map(({ kubernetes_sd_configs: _found, relabel_configs: _labelled, ...job }) => ({
    ...job,
    file_sd_configs: [{ files: [targetsFile], refresh_interval: '1s' }],
  }));
  return YAML.stringify({ ...config, scrape_configs: scrapeConfigs });
};

/** One process to scrape, as a file_sd targets file lists it, labelled as the cluster's relabelling labels a pod. */
export interface ScrapeTarget {
  address: string;
  app: string;
  pod: string;
}

export const writeScrapeTargets = (targetsFile: string, targets: ScrapeTarget[]): void => {
  const entries = targets.map(({ address, app, pod }) => ({ targets: [address], labels: { app, pod } }));
  // Written whole, then renamed: Prometheus never reads a half-written file.
  fs.writeFileSync(`${targetsFile}.tmp`, JSON.stringify(entries, null, 2));
  fs.renameSync(`${targetsFile}.tmp`, targetsFile);
};
