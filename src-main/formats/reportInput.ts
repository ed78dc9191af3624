// What every report writer (SR, SEG, PDF, CSV) is a pure function of: the series, its acquired slices, the read
// (or the unreviewed CAD findings) and the nodules with their masks. Built by services/review/reportService.
import type { VolumeGeometry, Vec3 } from '../shared/geometry';
import type { Finding, PatientInfo } from '../shared/types';
import type { ExamConclusion, MarkDecision, ReadingMode, RejectReason } from '../shared/readTypes';

export interface BoxMaskData {
  /** Corner of the mask's box in volume voxel indices, its size, and voxels i fastest (0/1). */
  min: Vec3;
  dims: Vec3;
  data: Uint8Array;
}

export interface ReportNodule {
  finding: Finding;
  decision: MarkDecision | 'not-reviewed';
  rejectReason: RejectReason | null;
  rejectText: string | null;
  trackingUID: string;
  /** The stored segmentation (accepted/added nodules), null when there is none. */
  mask: BoxMaskData | null;
}

export interface SourceSlice {
  /** Volume slice index (k) this acquired image is. */
  k: number;
  sopClassUID: string;
  sopInstanceUID: string;
}

export interface ReportInput {
  patient: PatientInfo;
  study: { studyInstanceUID: string; studyDate: string | null; studyTime: string | null; accessionNumber: string | null; description: string | null };
  series: { seriesInstanceUID: string; modality: string; frameOfReferenceUID: string | null; description: string | null };
  geometry: VolumeGeometry;
  /** Acquired images that are volume slices, by k; empty when the volume was resampled (tilt, irregular spacing). */
  slices: SourceSlice[];
  read: {
    id: string;
    mode: ReadingMode;
    state: string;
    version: number;
    reader: { name: string; role: string; osUser: string };
    signedAt: string | null;
  } | null;
  /** True when the nodules are CAD output at the run's operating point, not reviewed by anyone. */
  unreviewed: boolean;
  nodules: ReportNodule[];
  conclusion: ExamConclusion | null;
  device: { manufacturer: string; name: string; version: string; deviceUID: string; models: { id: string; version: string }[] };
  /** The content date/time written (the sign-off time; the export time for unreviewed exports). */
  contentDateTime: Date;
  /** Instance and series UIDs of the object written (deterministic per read version). */
  newUIDs: { series: string; instance: string };
  deidentified: boolean;
}

export const RESEARCH_NOTICE = 'Research use only. Not a medical device; not for diagnosis. Findings must be reviewed by a qualified radiologist.';

/** Nodules that count (and that SEG, the PDF table and key images carry): accepted and reader-added, or all when unreviewed. */
export function reportedNodules(input: ReportInput): ReportNodule[] {
  return input.nodules.filter((n) => n.decision === 'accepted' || n.decision === 'added' || n.decision === 'not-reviewed');
}

export function dicomDate(d: Date): string {
  return d.toISOString().slice(0, 10).replace(/-/g, '');
}
export function dicomTime(d: Date): string {
  return d.toISOString().slice(11, 19).replace(/:/g, '');
}
