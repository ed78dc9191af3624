// Assembles a Read (what the API returns and what reports are written from) from its rows. Pure over the rows.
import type { Db } from '../../store/db';
import { findingOfMark, marksOfRead, type MarkRow, type ReadRow } from '../../store/reads';
import type { Finding } from '../../shared/types';
import type { Read, ReadMark } from '../../shared/readTypes';
import { examConclusion, type ReaderConclusionInput } from './conclusion';

/** A DICOM UID for a nodule, derived from its finding id (a UUID) under the 2.25 root (PS3.5 B.2). */
export function trackingUidOf(findingId: string): string {
  const hex = findingId.replace(/-/g, '');
  if (/^[0-9a-f]{32}$/i.test(hex)) return `2.25.${BigInt('0x' + hex).toString()}`;
  // Not a UUID (imported layers keep the SR's own UID in the finding): hash-free fallback on the code points.
  let n = 0n;
  for (const ch of findingId) n = (n * 131n + BigInt(ch.codePointAt(0)!)) % 10n ** 36n;
  return `2.25.${n.toString()}`;
}

export function markOf(r: MarkRow): ReadMark {
  const base = findingOfMark(r);
  const edits = r.edited_json ? (JSON.parse(r.edited_json) as Partial<Finding>) : null;
  const finding: Finding = edits ? { ...base, ...edits } : base;
  const uid = (base as Finding & { trackingUID?: string }).trackingUID;
  return {
    findingId: r.finding_ref,
    origin: r.origin,
    decision: r.decision,
    rejectReason: r.reject_reason,
    rejectText: r.reject_text,
    finding,
    edited: !!edits,
    maskId: r.mask_ref,
    trackingUID: uid ?? trackingUidOf(r.finding_ref),
  };
}

export function cadVisible(row: ReadRow): boolean {
  return row.mode === 'concurrent' || row.first_read_done_at !== null || row.origin !== 'local';
}

/** The findings that count for the exam: accepted CAD marks and reader-added nodules. */
export function countedFindings(marks: ReadMark[]): Finding[] {
  return marks.filter((m) => m.decision === 'accepted' || m.decision === 'added').map((m) => m.finding);
}

export function assembleRead(db: Db, row: ReadRow): Read {
  const visible = cadVisible(row);
  const marks = marksOfRead(db, row.id)
    .filter((m) => visible || m.origin !== 'cad')
    .map(markOf);
  const reader = JSON.parse(row.conclusion_json) as ReaderConclusionInput;
  return {
    id: row.id,
    seriesInstanceUID: row.series_uid,
    volumeId: row.volume_ref,
    runId: row.run_ref,
    origin: row.origin,
    mode: row.mode,
    state: row.state,
    reader: { name: row.reader_name, role: row.reader_role, osUser: row.os_user },
    minScore: row.min_score,
    firstReadDoneAt: row.first_read_done_at,
    cadVisible: visible,
    startedAt: row.started_at,
    signedAt: row.signed_at,
    version: row.version,
    marks,
    conclusion: examConclusion(countedFindings(marks), reader),
    source: row.source_json ? JSON.parse(row.source_json) : null,
  };
}
