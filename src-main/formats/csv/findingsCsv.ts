// CSV of a read's nodules for research: one row per nodule, coordinates LPS mm, measures as computed.
import { REJECT_REASON_TEXT } from '../../shared/readTypes';
import type { ReportInput } from '../reportInput';

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? String(Number(v.toPrecision(10))) : String(v);
  // Quote when needed; a leading = + - @ is prefixed so a spreadsheet does not run it as a formula.
  const safe = /^[=+\-@]/.test(s) && typeof v !== 'number' ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const FINDINGS_CSV_COLUMNS = [
  'study_uid', 'series_uid', 'read_id', 'read_version', 'reading_mode', 'reader', 'tracking_uid', 'label', 'source', 'decision', 'reject_reason',
  'center_x_lps_mm', 'center_y_lps_mm', 'center_z_lps_mm', 'diameter_mm', 'long_axis_mm', 'short_axis_mm', 'volume_mm3', 'mean_hu', 'type',
  'solid_component_mm', 'lung_rads', 'brock', 'p_benign', 'p_ac', 'p_scc', 'class_model', 'cad_score', 'cad_model', 'exam_lung_rads',
] as const;

export function findingsCsv(input: ReportInput): Buffer {
  const rows = [FINDINGS_CSV_COLUMNS.join(',')];
  const r = input.read;
  for (const n of input.nodules) {
    const f = n.finding;
    rows.push(
      [
        input.study.studyInstanceUID, input.series.seriesInstanceUID, r?.id ?? '', r?.version ?? '', r?.mode ?? 'not-reviewed', input.deidentified ? '' : (r?.reader.name ?? ''),
        n.trackingUID, f.label, f.source, n.decision, n.rejectReason ? `${REJECT_REASON_TEXT[n.rejectReason]}${n.rejectText ? `: ${n.rejectText}` : ''}` : '',
        f.centerLPS[0], f.centerLPS[1], f.centerLPS[2], f.diameterMm, f.longAxisMm, f.shortAxisMm, f.volumeMm3, f.meanHU, f.type,
        f.solidComponentMm ?? null, f.lungRads, f.brock, f.classProbs?.benign, f.classProbs?.AC, f.classProbs?.SCC, f.classModel ? `${f.classModel.id} ${f.classModel.version}` : '',
        f.score, f.modelId ? `${f.modelId} ${f.modelVersion ?? ''}`.trim() : '', input.conclusion?.category ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return Buffer.from(rows.join('\r\n') + '\r\n', 'utf8');
}
