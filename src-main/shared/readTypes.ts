// The second read as the API returns it (shared by main and renderer). Coordinates LPS mm.
import type { Finding, NoduleType } from './types';

export type ReadingMode = 'second-reader' | 'concurrent';
export type ReadState = 'in-review' | 'signed' | 'addendum' | 'addended' | 'imported';
/** Worklist status of a series: derived from its CAD runs and reads. */
export type StudyStatus = 'new' | 'cad-done' | 'in-review' | 'signed' | 'addended';
export type MarkDecision = 'pending' | 'accepted' | 'rejected' | 'added';

export const REJECT_REASONS = ['vessel', 'scar-fibrosis', 'atelectasis', 'calcified-granuloma', 'bone', 'artefact', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
  vessel: 'vessel',
  'scar-fibrosis': 'scar / fibrosis',
  atelectasis: 'atelectasis',
  'calcified-granuloma': 'calcified granuloma',
  bone: 'bone',
  artefact: 'artefact',
  other: 'other',
};

export interface ReaderProfile {
  id: number;
  name: string;
  role: string;
}

export interface ReadMark {
  /** The finding this mark is about (a CAD finding, or the reader-added finding). */
  findingId: string;
  origin: 'cad' | 'reader';
  decision: MarkDecision;
  rejectReason: RejectReason | null;
  rejectText: string | null;
  /** The finding as the reader holds it: the CAD finding with the reader's edits applied (recomputed measures). */
  finding: Finding;
  edited: boolean;
  /** The stored segmentation of this mark (SEG carries it); null when none is stored. */
  maskId: string | null;
  /** Tracking UID of the nodule in SR/SEG (derived from the finding id). */
  trackingUID: string;
}

export interface ExamConclusion {
  category: string | null;
  reason: string;
  recommendation: string;
  sModifier: boolean;
  sText: string;
  impression: string;
  /** Nodules the category was computed from (accepted + added). */
  noduleCount: number;
}

export interface Read {
  id: string;
  seriesInstanceUID: string;
  volumeId: string;
  runId: string | null;
  origin: 'local' | 'imported-sr';
  mode: ReadingMode;
  state: ReadState;
  reader: { name: string; role: string; osUser: string };
  minScore: number;
  firstReadDoneAt: string | null;
  /** False in second-reader mode before "first read done": CAD marks are withheld, not just hidden. */
  cadVisible: boolean;
  startedAt: string;
  signedAt: string | null;
  version: number;
  marks: ReadMark[];
  conclusion: ExamConclusion;
  /** For an imported SR: where it came from. */
  source: { file: string; sopInstanceUID: string; observer: string } | null;
}

export interface ReadVersion {
  version: number;
  kind: 'signed' | 'addendum';
  reason: string | null;
  signedAt: string;
  read: Read;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  reader: string | null;
  action: string;
  seriesInstanceUID: string | null;
  detail: unknown;
  before: unknown;
  after: unknown;
}

export interface ReportFile {
  fileName: string;
  mime: string;
  /** base64 of the file's bytes. */
  base64: string;
  byteLength: number;
}

export interface EditRequestFields {
  centerLPS?: [number, number, number];
  /** Re-segment and re-measure from this seed (LPS mm). */
  seedLPS?: [number, number, number];
  diameterMm?: number;
  type?: NoduleType;
}
