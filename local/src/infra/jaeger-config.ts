import path from 'path';
import { configMapFile } from './manifest-config';
import { repoRoot } from './tools';

/** The manifest whose ConfigMap jaeger-config holds the cluster's jaeger.yaml. */
export const jaegerManifest = path.join(repoRoot, 'infra/k8s-observability/jaeger.yaml');

export const manifestJaegerConfig = (): string => configMapFile(jaegerManifest, 'jaeger-config', 'jaeger.yaml');

export interface LocalJaegerPorts {
  queryPort: number;
  queryGrpcPort: number;
  otlpPort: number;
}

/** The manifest's jaeger.yaml with each listener on 127.0.0.1 and a port of this machine's instead of the pod's. */
export const localJaegerConfig = (text: string, { queryPort, queryGrpcPort, otlpPort }: LocalJaegerPorts): string => {
  const ports: Record<string, number> = { '16686': queryPort, '16685': queryGrpcPort, '4318': otlpPort };
  return text.replace(/endpoint: 0\.0\.0\.0:(\d+)/g, (line, port: string) => {
    const local = ports[port];
    if (local === undefined) throw new Error(`jaeger.yaml listens on ${port}, which the local system does not give a port`);
    return `endpoint: 127.0.0.1:${local}`;
  });
};
