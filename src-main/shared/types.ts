// Domain types shared by main and renderer. Units: millimetres; coordinates: DICOM LPS unless named otherwise.
import type { RejectCode } from './errorCodes';
import type { Vec3, VolumeGeometry } from './geometry';
import type { ErrorKind } from './errors';

export interface ExecutionProviderInfo {
  name: string;
  /** Shipped inside onnxruntime-node for this platform. */
  bundled: boolean;
  /** 'available' = a session was created with it; 'unavailable' = it failed (see detail); 'untested' = not probed yet. */
  status: 'available' | 'unavailable' | 'untested';
  detail?: string;
}

export interface AppInfo {
  version: string;
  dataDir: string;
  dbPath: string;
  platform: string;
  executionProviders: ExecutionProviderInfo[];
  /** True when the database was written by a newer Pulmo and is opened read-only. */
  readOnly: boolean;
  readOnlyReason?: string;
  intendedUse: string;
  sample: { available: boolean; attribution: string };
}

export interface Warning {
  code:
    | 'irregular_spacing'
    | 'missing_slices'
    | 'duplicate_positions'
    | 'gantry_tilt'
    | 'mixed_orientation'
    | 'single_slice'
    | 'localizer'
    | 'not_volume'
    | 'other';
  message: string;
}

/** Why a file was not imported, as a code the UI groups by; `reason` says it in words. */
export type FileErrorCode =
  | 'not_found' // the path does not exist
  | 'unreadable' // the file or folder cannot be opened or read
  | 'not_dicom' // no DICOM part-10 file
  | 'bad_header' // DICOM, but its header cannot be parsed or lacks what an image needs
  | 'unsupported' // e.g. a transfer syntax with no trusted decoder
  | 'duplicate' // the same SOPInstanceUID is already indexed or in this import
  | 'pixel_data' // the pixels cannot be read or decoded
  | 'post_import' // a step after the series was committed failed (e.g. reader XML beside it)
  | 'network' // a DICOM peer refused it, or the association or HTTP transfer failed
  | 'unclassified' // recorded before codes existed
  | RejectCode; // the import's fine-grained rejections (hostile input, limits, special files)

export interface FileError {
  file: string;
  /** Why it was left out, grouped: the coarse codes above or the fine ones of shared/errorCodes.ts. */
  code: FileErrorCode;
  /** The same in words, naming the tag and value where one is at fault. */
  reason: string;
}

export interface PatientInfo {
  patientId: string;
  patientName: string;
  birthDate: string | null; // DICOM DA, YYYYMMDD
  sex: string | null;
}

export interface StudyInfo {
  studyInstanceUID: string;
  studyDate: string | null; // YYYYMMDD
  description: string | null;
  accessionNumber: string | null;
}

export interface SeriesSummary {
  seriesInstanceUID: string;
  seriesNumber: number | null;
  modality: string;
  description: string | null;
  instanceCount: number;
  sliceThicknessMm: number | null;
  isLocalizer: boolean;
  volumeId: string | null;
  dims: Vec3 | null;
  warnings: Warning[];
  /** Review state for the worklist (issue 11): status, CAD marks at the operating point, exam Lung-RADS. */
  review?: { status: 'new' | 'cad-done' | 'in-review' | 'signed' | 'addended'; cadCount: number | null; examCategory: string | null };
}

export interface StudyRow {
  patient: PatientInfo;
  study: StudyInfo;
  series: SeriesSummary[];
}

export interface CaseList {
  total: number; // studies matching the query
  offset: number;
  studies: StudyRow[];
}

export interface VolumeInfo {
  volumeId: string;
  seriesInstanceUID: string;
  geometry: VolumeGeometry;
  warnings: Warning[];
  /** Relative URL of the raw little-endian int16 HU voxels, i fastest. */
  url: string;
  byteLength: number;
  dtype: 'int16';
  minHU: number;
  maxHU: number;
}

export interface CaseDetail {
  patient: PatientInfo;
  study: StudyInfo;
  series: SeriesSummary;
  volume: VolumeInfo | null;
}

export interface ImportedSeries {
  seriesInstanceUID: string;
  volumeId: string | null;
  modality: string;
  dims: Vec3 | null;
  spacing: Vec3 | null;
  origin: Vec3 | null;
  direction: number[] | null;
  warnings: Warning[];
}

export interface ImportSummary {
  filesScanned: number;
  instancesImported: number;
  series: ImportedSeries[];
  errors: FileError[];
}

export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** Why a job ended without its result: an API error kind, or 'interrupted' (its process ended mid-job). */
export interface JobError {
  code: ErrorKind | 'interrupted';
  message: string;
}

export interface JobProgress {
  phase: string;
  filesScanned: number;
  filesTotal: number | null;
  seriesFound: number;
  bytesRead: number;
  fraction: number | null; // 0..1 where known
  message?: string;
}

interface JobBase {
  jobId: string;
  state: JobState;
  progress: JobProgress;
  startedAt: string;
  finishedAt: string | null;
  error: JobError | null;
  /** Files the job could not use (import), each with a code and a reason. */
  errors: FileError[];
}

export interface ImportJobStatus extends JobBase {
  kind: 'import';
  summary: ImportSummary | null;
}

export interface CadJobStatus extends JobBase {
  kind: 'cad';
  /** The CAD run's id once its row exists. */
  runId: string | null;
}

/** DICOM networking jobs: one listener association received, a retrieve (C-MOVE/C-GET/WADO-RS), a send
 * (C-STORE/STOW-RS). Received and retrieved instances go through the import, so these carry its summary. */
export interface ReceiveJobStatus extends JobBase {
  kind: 'receive';
  summary: ImportSummary | null;
}
export interface RetrieveJobStatus extends JobBase {
  kind: 'retrieve';
  summary: ImportSummary | null;
}
export interface SendJobStatus extends JobBase {
  kind: 'send';
  summary: null;
}
/** The jobs that run the import pipeline (runImport). */
export type ImportingJobStatus = ImportJobStatus | ReceiveJobStatus | RetrieveJobStatus;

/** Every long job is one of these; `jobs.get`, `jobs.list`, `jobs.cancel` and the `job.progress` event serve all. */
export type JobStatus = ImportJobStatus | CadJobStatus | ReceiveJobStatus | RetrieveJobStatus | SendJobStatus;
export type JobKind = JobStatus['kind'];

export type NoduleType = 'solid' | 'part-solid' | 'ground-glass';

export interface ClassProbs {
  benign: number;
  AC: number;
  SCC: number;
}

/** The model behind a per-finding estimate, as the finding card names it. */
export interface EstimateModel {
  id: string;
  version: string;
  /** What it learned from, in words (from its manifest). */
  trainingData?: string;
  /** False when patient-grouped CV did not beat chance: the UI shows `notice` instead of numbers. */
  betterThanChance?: boolean;
  notice?: string;
}

/** Calibrated probability that the nodule is malignant, from a malignancy model. */
export interface MalignancyEstimate {
  probability: number;
  /** The model's operating threshold, and whether this finding is at or above it. */
  threshold: number;
  aboveThreshold: boolean;
}

export interface Contour {
  /** Closed polygon on one image plane, LPS mm. */
  pointsLPS: Vec3[];
}

/** Where a Brock input came from: Pulmo's default (absent), the CAD measurement, or the reader. */
/** 'dicom': PatientAge (0010,1010) or birth date vs study date, and PatientSex, read from the images. */
export type BrockInputOrigin = 'assumed' | 'cad' | 'reader' | 'dicom';

/** The inputs a finding's Brock probability was computed from (age and sex from DICOM; null = unknown). */
export interface BrockInputs {
  ageYears: number | null;
  sex: 'M' | 'F' | null;
  familyHistory: boolean;
  emphysema: boolean;
  spiculation: boolean;
  /** null when the nodule's lobe is not known (then Brock needs the reader to say). */
  upperLobe: boolean | null;
  noduleCount: number;
  origin: Record<'familyHistory' | 'emphysema' | 'spiculation' | 'upperLobe' | 'noduleCount', BrockInputOrigin> &
    Partial<Record<'ageYears' | 'sex', BrockInputOrigin>>;
  /** When the reader last entered inputs (ISO time), null when all are the CAD run's. */
  enteredAt: string | null;
}

export interface Finding {
  id: string;
  seriesInstanceUID: string;
  source: 'cad' | 'reader' | 'reference';
  label: string;
  centerLPS: Vec3;
  boxLPS: { min: Vec3; max: Vec3 };
  diameterMm: number | null;
  longAxisMm: number | null;
  shortAxisMm: number | null;
  volumeMm3: number | null;
  meanHU: number | null;
  type: NoduleType | null;
  lungRads: string | null;
  brock: number | null;
  classProbs: ClassProbs | null;
  /** The classification model that produced classProbs (null when none was installed). */
  classModel?: EstimateModel | null;
  /** Malignancy model output (null/absent when no malignancy model ran). */
  malignancy?: MalignancyEstimate | null;
  malignancyModel?: EstimateModel | null;
  /** What brock was computed from (absent on findings stored before it was recorded). */
  brockInputs?: BrockInputs | null;
  /** Long axis of the solid component of a part-solid nodule, mm (Lung-RADS needs it). */
  solidComponentMm?: number | null;
  /**
   * Why a measured number is not used (e.g. a diameter below the voxel size: a failed segmentation, so no
   * Lung-RADS category); absent when the measurement stands.
   */
  measurementNote?: string | null;
  score: number | null;
  /** Why the detector kept a CAD finding: the features its score was computed from (absent on older findings). */
  detectorFeatures?: Record<string, number> | null;
  modelId: string | null;
  modelVersion: string | null;
  runId: string | null;
  contours: Contour[];
}

export interface Measurement {
  id: string;
  seriesInstanceUID: string;
  kind: 'length';
  pointsLPS: [Vec3, Vec3];
  lengthMm: number;
  label: string | null;
  createdAt: string;
}
