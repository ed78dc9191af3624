// Exports of a series' read: decides what is exported (the latest signed version; or, when asked, unreviewed CAD
// output), gathers the DICOM context, and calls the pure writers in formats/. Every export is audited.
import crypto from 'node:crypto';
import type { AppContext } from '../context';
import { ApiError } from '../../shared/errors';
import type { Read, ReportFile } from '../../shared/readTypes';
import type { Finding } from '../../shared/types';
import { readHeader } from '../../dicom/readHeader';
import type { DicomHeader } from '../../dicom/types';
import { lpsToIjk } from '../../shared/geometry';
import { appendAudit } from '../../store/audit';
import { getMask } from '../../store/masks';
import * as reads from '../../store/reads';
import { currentReader, getSetting, putSetting } from '../../store/settings';
import { instanceFilesOfSeriesUid, runModels, seriesExists } from '../../store/reportSources';
import { findVolume } from '../../store/volumes';
import type { ReportInput, ReportNodule, SourceSlice } from '../../formats/reportInput';
import { writeTid1500 } from '../../formats/dicom-sr/writeTid1500';
import { SegExportError, writeSeg } from '../../formats/seg/writeSeg';
import { writePdf } from '../../formats/pdf/writePdf';
import { findingsCsv } from '../../formats/csv/findingsCsv';
import { deidentifyReport, remapUid } from '../../formats/deidentify';
import { loadVolume, measureAtSeed } from './measureAtSeed';
import { trackingUidOf } from './readModel';
import { examConclusion } from './conclusion';
import { DEFAULT_MIN_SCORE } from './readService';

export type ReportFormat = 'sr' | 'seg' | 'pdf' | 'csv';
export interface ExportRequest {
  seriesInstanceUID: string;
  format: ReportFormat;
  includeUnreviewed: boolean;
  deidentify: boolean;
}

const MIME: Record<ReportFormat, string> = { sr: 'application/dicom', seg: 'application/dicom', pdf: 'application/pdf', csv: 'text/csv' };

/** A per-data-folder secret/UID created once (device UID, de-identification key). */
function installationValue(ctx: AppContext, key: string, make: () => string): string {
  const v = getSetting<string>(ctx.db, key);
  if (v) return v;
  const created = make();
  if (!ctx.readOnly) putSetting(ctx.db, key, created);
  return created;
}

/** Acquired slices that are planes of the volume (i = j = 0 corner on a whole k), from the files' headers. */
function sourceContext(ctx: AppContext, seriesInstanceUID: string, geometry: ReportInput['geometry']): { first: DicomHeader; slices: SourceSlice[] } {
  const headers: DicomHeader[] = [];
  for (const file of instanceFilesOfSeriesUid(ctx.db, seriesInstanceUID)) {
    const r = readHeader(file);
    if (r.kind === 'header') headers.push(r.header);
  }
  if (!headers.length) throw new ApiError('io', `None of the DICOM files of series ${seriesInstanceUID} can be read any more (moved or deleted?)`);
  const slices: SourceSlice[] = [];
  for (const h of headers) {
    if (h.enhanced || h.frames.length !== 1 || !h.frames[0].ipp) continue;
    const ijk = lpsToIjk(geometry, h.frames[0].ipp);
    const k = Math.round(ijk[2]);
    if (Math.abs(ijk[0]) < 0.05 && Math.abs(ijk[1]) < 0.05 && Math.abs(ijk[2] - k) < 0.05 && k >= 0 && k < geometry.dims[2]) {
      slices.push({ k, sopClassUID: h.sopClassUID, sopInstanceUID: h.sopInstanceUID });
    }
  }
  // Every plane must be an acquired image, or none is used (a resampled volume's planes are not the images).
  const ks = new Set(slices.map((s) => s.k));
  return { first: headers[0], slices: ks.size === geometry.dims[2] ? slices : [] };
}

export function buildReportInput(ctx: AppContext, req: Pick<ExportRequest, 'seriesInstanceUID' | 'includeUnreviewed'>): ReportInput {
  if (!seriesExists(ctx.db, req.seriesInstanceUID)) throw new ApiError('not_found', `No series ${req.seriesInstanceUID} in the case index`, 'seriesInstanceUID');
  const vol = findVolume(ctx.db, req.seriesInstanceUID);
  if (!vol) throw new ApiError('not_found', `Series ${req.seriesInstanceUID} has no volume`, 'seriesInstanceUID');
  const row = reads.localReadOfSeries(ctx.db, req.seriesInstanceUID);
  const versions = row ? reads.versionsOfRead(ctx.db, row.id) : [];
  const signed = versions.length ? (JSON.parse(versions[versions.length - 1].snapshot_json) as Read) : null;
  let nodules: ReportNodule[];
  let models: { id: string; version: string }[] = [];
  let uidSeed: string;
  if (signed) {
    nodules = signed.marks.map((m) => ({
      finding: m.finding,
      decision: m.decision,
      rejectReason: m.rejectReason,
      rejectText: m.rejectText,
      trackingUID: m.trackingUID,
      mask: m.maskId ? getMask(ctx.db, m.maskId) : null,
    }));
    if (signed.runId) models = runModels(ctx.db, signed.runId);
    uidSeed = `${signed.id}@${signed.version}`;
  } else {
    if (!req.includeUnreviewed) {
      throw new ApiError(
        'conflict',
        row
          ? `The read of series ${req.seriesInstanceUID} is not signed yet: sign it first, or export the CAD findings as not reviewed (--include-unreviewed)`
          : `Series ${req.seriesInstanceUID} has no read: review and sign it first, or export the CAD findings as not reviewed (--include-unreviewed)`,
      );
    }
    const run = reads.latestDoneRun(ctx.db, vol.id);
    if (!run) throw new ApiError('conflict', `Series ${req.seriesInstanceUID} has neither a signed read nor a completed CAD run: nothing to export`);
    const hu = loadVolume(ctx.db, ctx.volumesDir, vol.id);
    nodules = run.findings
      .filter((f: Finding) => (f.score ?? 0) >= DEFAULT_MIN_SCORE)
      .map((f) => {
        let mask = null;
        try {
          mask = measureAtSeed(hu, f.centerLPS, (f.diameterMm ?? 6) / 2).mask;
        } catch {
          /* not segmentable: reported without a mask */
        }
        return { finding: f, decision: 'not-reviewed' as const, rejectReason: null, rejectText: null, trackingUID: trackingUidOf(f.id), mask };
      });
    models = runModels(ctx.db, run.id);
    uidSeed = `unreviewed:${run.id}`;
  }
  const src = sourceContext(ctx, req.seriesInstanceUID, vol.geometry);
  const h = src.first;
  const deviceUID = installationValue(ctx, 'deviceUID', () => `2.25.${BigInt('0x' + crypto.randomBytes(16).toString('hex')).toString()}`);
  const counted = nodules.filter((n) => n.decision === 'accepted' || n.decision === 'added').map((n) => n.finding);
  return {
    patient: h.patient,
    study: { studyInstanceUID: h.study.studyInstanceUID, studyDate: h.study.studyDate, studyTime: h.study.studyTime, accessionNumber: h.study.accessionNumber, description: h.study.description },
    series: { seriesInstanceUID: req.seriesInstanceUID, modality: h.modality, frameOfReferenceUID: h.frameOfReferenceUID, description: h.seriesDescription },
    geometry: vol.geometry,
    slices: src.slices,
    read: signed ? { id: signed.id, mode: signed.mode, state: signed.state, version: signed.version, reader: signed.reader, signedAt: signed.signedAt } : null,
    unreviewed: !signed,
    nodules,
    conclusion: signed ? signed.conclusion : examConclusion(counted, {}),
    device: { manufacturer: 'Pulmo developers', name: 'Pulmo', version: ctx.version, deviceUID, models },
    contentDateTime: signed?.signedAt ? new Date(signed.signedAt) : new Date(),
    newUIDs: { series: remapUid(`${uidSeed}:series`, deviceUID), instance: remapUid(`${uidSeed}:instance`, deviceUID) },
    deidentified: false,
  };
}

export async function exportReport(ctx: AppContext, req: ExportRequest): Promise<{ bytes: Buffer; fileName: string; mime: string }> {
  let input = buildReportInput(ctx, req);
  const formatUIDs = { series: remapUid(input.newUIDs.series, req.format), instance: remapUid(input.newUIDs.instance, req.format) };
  input = { ...input, newUIDs: formatUIDs };
  if (req.deidentify) input = deidentifyReport(input, installationValue(ctx, 'deidKey', () => crypto.randomBytes(32).toString('hex')));
  let bytes: Buffer;
  try {
    if (req.format === 'sr') bytes = writeTid1500(input);
    else if (req.format === 'seg') bytes = writeSeg(input);
    else if (req.format === 'csv') bytes = findingsCsv(input);
    else bytes = await writePdf(input, loadVolume(ctx.db, ctx.volumesDir, findVolume(ctx.db, req.seriesInstanceUID)!.id));
  } catch (err) {
    if (err instanceof SegExportError) throw new ApiError('unsupported', err.message);
    throw err;
  }
  const r = currentReader(ctx.db);
  if (!ctx.readOnly) {
    appendAudit(ctx.db, {
      action: 'reports.export',
      reader: r ? `${r.name} (${r.role})` : null,
      seriesInstanceUID: req.seriesInstanceUID,
      detail: { format: req.format, deidentify: req.deidentify, includeUnreviewed: req.includeUnreviewed, readId: input.read?.id ?? null, version: input.read?.version ?? null, bytes: bytes.length, sha256: crypto.createHash('sha256').update(bytes).digest('hex') },
    });
  }
  const ext = req.format === 'sr' || req.format === 'seg' ? 'dcm' : req.format;
  return { bytes, fileName: `pulmo-${req.format}-${req.deidentify ? 'deid-' : ''}${req.seriesInstanceUID.slice(-12)}.${ext}`, mime: MIME[req.format] };
}

export async function exportReportFile(ctx: AppContext, req: ExportRequest): Promise<ReportFile> {
  const r = await exportReport(ctx, req);
  return { fileName: r.fileName, mime: r.mime, base64: r.bytes.toString('base64'), byteLength: r.bytes.length };
}
