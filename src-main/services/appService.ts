// app.info: what the diagnostics panel and `pulmo info` show. Every value is read from the running system.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { probeAllProviders } from '../cad/providers';
import { resourcesDir } from './paths';
import type { AppInfo } from '../shared/types';

export const INTENDED_USE =
  'Research use only. Not a medical device: CAD output is a second-reader aid and must be confirmed by a qualified radiologist.';

export function sampleDir(): string {
  return path.join(resourcesDir(), 'sample');
}

export function sampleAttribution(): string {
  const f = path.join(sampleDir(), 'ATTRIBUTION');
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').trim() : '';
}

/** Providers are probed for real (a tiny model is run on each bundled one, once per process). */
export async function appInfo(ctx: AppContext): Promise<AppInfo> {
  const attribution = sampleAttribution();
  return {
    version: ctx.version,
    dataDir: ctx.dataDir,
    dbPath: ctx.dbPath,
    platform: `${process.platform}-${process.arch}, Node ${process.versions.node}${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}`,
    executionProviders: await probeAllProviders(),
    readOnly: ctx.readOnly,
    readOnlyReason: ctx.readOnlyReason,
    intendedUse: INTENDED_USE,
    sample: { available: attribution.length > 0, attribution },
  };
}

export function appHandlers(ctx: AppContext): Pick<Handlers, 'app.info'> {
  return { 'app.info': () => appInfo(ctx) };
}
