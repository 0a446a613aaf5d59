import type { Config } from '@jest/types';
import type { EventBusKind } from '@ticketing/common';
import { Infra, InfraPiece, startInfra } from '../infra/start-infra';

declare global {
  var __TICKETING_INFRA__: Infra | undefined;
}

/** Starts what a package's suite declares in `globals.infra`, its broker as `globals.eventBus` says (jest workers inherit the env). */
export default async function globalSetup(_: unknown, project: Config.ProjectConfig): Promise<void> {
  const pieces = (project.globals.infra as InfraPiece[] | undefined) ?? ['mongo'];
  const infra = await startInfra(pieces, {
    eventBus: project.globals.eventBus as EventBusKind | undefined,
    progress: (line) => process.stderr.write(`[infra] ${line}\n`),
  });
  Object.assign(process.env, infra.env);
  globalThis.__TICKETING_INFRA__ = infra;
}
