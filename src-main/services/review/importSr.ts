// Round trip: a TID 1500 SR (Pulmo's or another tool's) becomes a separate, read-only reader layer on the series
// it references, at the SR's LPS positions. Rejected with the reason when it matches no series, its frame of
// reference or instances do not belong to that series, or a position lies outside the volume; one transaction.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { ApiError } from '../../shared/errors';
import { assertWritable } from '../guards';
import type { Finding, NoduleType } from '../../shared/types';
import type { Read } from '../../shared/readTypes';
import { lpsToIjk } from '../../shared/geometry';
import { readTid1500, SrReadError } from '../../formats/dicom-sr/readTid1500';
import { readHeader } from '../../dicom/readHeader';
import { appendAudit, auditActor } from '../../store/audit';
import * as reads from '../../store/reads';
import { instanceFilesOfSeriesUid, readOfSr, seriesOfSops } from '../../store/reportSources';
import { findVolume } from '../../store/volumes';
import { currentReader } from '../../store/settings';
import { assembleRead } from './readModel';

const TYPES: NoduleType[] = ['solid', 'part-solid', 'ground-glass'];

export function importSr(ctx: AppContext, file: string): Read {
  assertWritable(ctx);
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (err) {
    throw new ApiError('io', `${abs}: ${(err as Error).message}`, 'path');
  }
  const bad = (why: string): ApiError => new ApiError('validation', `${abs}: ${why}`, 'path');
  let sr;
  try {
    sr = readTid1500(bytes);
  } catch (err) {
    if (err instanceof SrReadError) throw bad(err.message);
    throw err;
  }
  const existing = readOfSr(ctx.db, sr.sopInstanceUID);
  if (existing) return assembleRead(ctx.db, reads.getReadRow(ctx.db, existing)!);
  // The series: named in the evidence, or owning the referenced images.
  const bySop = seriesOfSops(ctx.db, sr.referencedInstances);
  const candidates = [...new Set([...sr.referencedSeries, ...bySop.values()])].filter((s) => findVolume(ctx.db, s)?.seriesUID === s);
  if (!candidates.length) {
    throw bad(`it does not match any series in the case index (it references series ${sr.referencedSeries.join(', ') || 'none'} and ${sr.referencedInstances.length} image(s), none imported here)`);
  }
  const seriesUID = candidates[0];
  const foreign = sr.referencedInstances.filter((u) => bySop.get(u) !== seriesUID);
  if (foreign.length) throw bad(`it references image ${foreign[0]}, which is not an image of series ${seriesUID}`);
  const vol = findVolume(ctx.db, seriesUID)!;
  const firstFile = instanceFilesOfSeriesUid(ctx.db, seriesUID)[0];
  const h = firstFile ? readHeader(firstFile) : null;
  const forUID = h && h.kind === 'header' ? h.header.frameOfReferenceUID : null;
  for (const n of sr.nodules) {
    if (forUID && n.frameOfReferenceUID !== forUID) throw bad(`${n.trackingId} is in frame of reference ${n.frameOfReferenceUID || '(none)'}, not the series' ${forUID}`);
    const ijk = lpsToIjk(vol.geometry, n.centerLPS);
    if (ijk.some((x, a) => x < -1 || x > vol.geometry.dims[a])) throw bad(`${n.trackingId} at (${n.centerLPS.map((x) => x.toFixed(1)).join(', ')}) mm LPS lies outside the series' volume`);
  }
  const id = crypto.randomUUID();
  const at = new Date().toISOString();
  const r = currentReader(ctx.db);
  ctx.db.transaction(() => {
    reads.insertRead(ctx.db, {
      id, series_uid: seriesUID, volume_ref: vol.id, run_ref: null, origin: 'imported-sr', mode: 'second-reader', state: 'imported', reader_ref: null,
      reader_name: sr.observer || 'unknown (SR)', reader_role: 'SR import', os_user: auditActor(), min_score: 0, started_at: at,
      source_json: JSON.stringify({ file: abs, sopInstanceUID: sr.sopInstanceUID, observer: sr.observer }),
    });
    sr.nodules.forEach((n, ord) => {
      const half = (n.diameterMm ?? 6) / 2;
      const f: Finding & { trackingUID?: string } = {
        id: crypto.randomUUID(), seriesInstanceUID: seriesUID, source: 'reader', label: `SR ${n.trackingId}`.slice(0, 64), centerLPS: n.centerLPS,
        boxLPS: { min: n.centerLPS.map((x) => x - half) as Finding['centerLPS'], max: n.centerLPS.map((x) => x + half) as Finding['centerLPS'] },
        diameterMm: n.diameterMm, longAxisMm: n.longAxisMm, shortAxisMm: n.shortAxisMm, volumeMm3: n.volumeMm3, meanHU: n.meanHU,
        type: TYPES.includes(n.type as NoduleType) ? (n.type as NoduleType) : null, lungRads: n.lungRads, brock: null, classProbs: null, score: null,
        modelId: null, modelVersion: null, runId: null, contours: [], trackingUID: n.trackingUID ?? undefined,
      };
      reads.insertReaderFinding(ctx.db, vol.id, f);
      const decision = n.decision === 'rejected' ? 'rejected' : n.decision === 'accepted' ? 'accepted' : 'added';
      reads.insertMark(ctx.db, { read_ref: id, finding_ref: f.id, ord, origin: 'reader', decision, reject_reason: null, reject_text: null, edited_json: null, mask_ref: null, decided_at: at });
    });
    appendAudit(ctx.db, { action: 'reads.importSr', reader: r ? `${r.name} (${r.role})` : null, seriesInstanceUID: seriesUID, detail: { readId: id, file: abs, sopInstanceUID: sr.sopInstanceUID, nodules: sr.nodules.length, observer: sr.observer } });
  })();
  return assembleRead(ctx.db, reads.getReadRow(ctx.db, id)!);
}
