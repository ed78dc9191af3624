// Phase 2 for one series part: plan the grid, build and cache the volume in the engine, commit the part in
// one transaction, then run the after-import hooks. A slice that fails to decode is reported and the part is
// planned again without it (so the gap shows as a missing slice), never silently dropped.
import crypto from 'node:crypto';
import path from 'node:path';
import fs from 'node:fs';
import type { AppContext } from '../context';
import { planVolume } from '../../dicom/planVolume';
import type { SeriesGroup } from '../../dicom/types';
import type { FileError, ImportedSeries, Warning } from '../../shared/types';
import type { VolumeRowInput } from '../../store/volumes';
import { commitSeries } from './commitSeries';
import type { ImportEngine } from './engine';
import { afterSeriesImported } from './hooks';
import { removeVolumeFiles, type BuildProgressMsg } from './tasks';

const MAX_FAILED_FILES = 8;

export interface SeriesOutcome {
  series: ImportedSeries;
  instancesInserted: number;
  errors: FileError[];
  bytesRead: number;
}

export async function importSeries(
  ctx: AppContext,
  engine: ImportEngine,
  group: SeriesGroup,
  isNew: (sopInstanceUID: string) => boolean,
  onProgress: (p: BuildProgressMsg) => void,
  signal: AbortSignal,
): Promise<SeriesOutcome> {
  const errors: FileError[] = [];
  let g = group;
  let volume: VolumeRowInput | null = null;
  let planWarnings: Warning[] = [];
  let bytesRead = 0;
  for (let attempt = 0; ; attempt++) {
    const planned = planVolume(g);
    planWarnings = planned.warnings;
    if (!planned.plan) break;
    const volumeId = crypto.randomUUID().replace(/-/g, '');
    let outcome;
    try {
      outcome = await engine.build({ plan: planned.plan, volumesDir: ctx.volumesDir, volumeId }, onProgress, signal);
    } catch (e) {
      removeVolumeFiles(ctx.volumesDir, volumeId);
      throw e;
    }
    if (outcome.ok) {
      bytesRead += outcome.bytesRead;
      volume = {
        volumeId,
        cachePath: outcome.cachePath,
        geometry: planned.plan.geometry,
        warnings: planned.warnings,
        minHU: outcome.minHU,
        maxHU: outcome.maxHU,
        byteLength: outcome.byteLength,
      };
      break;
    }
    errors.push({ file: outcome.file, code: 'pixel_data', reason: `cannot read pixels: ${outcome.reason}` });
    const bad = outcome.file;
    g = { ...g, instances: g.instances.filter((h) => h.file !== bad), slices: g.slices.filter((s) => s.file !== bad) };
    if (attempt + 1 >= MAX_FAILED_FILES || g.instances.length === 0) {
      planWarnings = [{ code: 'other', message: `Not built as a volume: ${attempt + 1} file(s) could not be decoded` }];
      break;
    }
  }

  const newInstances = g.instances
    .filter((h) => isNew(h.sopInstanceUID))
    .map((h) => ({
      sopInstanceUID: h.sopInstanceUID,
      file: h.file,
      transferSyntaxUID: h.transferSyntaxUID,
      size: h.size,
      mtimeMs: h.mtimeMs,
      instanceNumber: h.instanceNumber,
      frames: h.pixel ? h.pixel.numberOfFrames : 0,
    }));
  const seriesWarnings = volume ? g.warnings : [...g.warnings, ...planWarnings];
  let committed;
  try {
    committed = commitSeries(ctx.db, { group: g, newInstances, seriesWarnings, volume });
  } catch (e) {
    if (volume) removeVolumeFiles(ctx.volumesDir, volume.volumeId);
    throw e;
  }
  // Old volumes of this part are gone from the index; their files can go too.
  for (const rel of committed.replacedCachePaths) {
    const base = path.resolve(ctx.volumesDir, rel);
    fs.rmSync(base, { force: true });
    fs.rmSync(base.replace(/\.raw$/, '.json'), { force: true });
  }
  ctx.events.emit('cases.changed', { reason: 'import' });

  const hookFailures = await afterSeriesImported(
    ctx,
    {
      seriesInstanceUID: g.seriesInstanceUID,
      partKey: g.partKey,
      studyInstanceUID: g.study.studyInstanceUID,
      patientId: g.patient.patientId,
      seriesRef: committed.seriesRef,
      volumeId: volume?.volumeId ?? null,
      geometry: volume?.geometry ?? null,
      sopToFile: Object.fromEntries(g.instances.map((h) => [h.sopInstanceUID, h.file])),
    },
    g.instances.map((h) => h.file),
  );
  for (const f of hookFailures) errors.push({ file: path.dirname(g.instances[0]?.file ?? ''), code: 'post_import', reason: `after import of series ${g.seriesInstanceUID}: ${f}` });

  const geo = volume?.geometry ?? null;
  return {
    series: {
      seriesInstanceUID: g.seriesInstanceUID,
      volumeId: volume?.volumeId ?? null,
      modality: g.modality,
      dims: geo ? geo.dims : null,
      spacing: geo ? geo.spacing : null,
      origin: geo ? geo.origin : null,
      direction: geo ? [...geo.direction] : null,
      warnings: [...g.warnings, ...planWarnings],
    },
    instancesInserted: committed.instancesInserted,
    errors,
    bytesRead,
  };
}
