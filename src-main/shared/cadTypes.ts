// CAD models and runs as the API returns them (shared by main and renderer).

export interface ModelInfo {
  id: string;
  version: string;
  name: string;
  task: 'detection' | 'classification' | 'malignancy';
  /** Shipped with Pulmo (resources/models or the classical detector) rather than installed by the user. */
  builtin: boolean;
  kind: 'onnx' | 'classical';
  license: string;
  intendedUse: string;
  description?: string;
  /** Input contract: layout, patch size in voxels, spacing (mm, [z, y, x]) and HU window. */
  input?: { layout: string; size: number[]; spacingMm: number[] | null; windowHU: [number, number] };
  classes?: string[];
  sha256?: string;
  /** What a trained model learned from and its patient-grouped CV figures (from its manifest). */
  training?: { data: string; validation: string; cv: Record<string, { mean: number; ci95: [number, number] }>; betterThanChance: boolean; notice?: string };
}

export interface ModelList {
  models: ModelInfo[];
  /** Model folders that were found but not loaded, with why. */
  rejected: { dir: string; reason: string }[];
  /** False when no classification model is installed: the UI must say so (no class is ever invented). */
  classificationAvailable: boolean;
  /** How to install a model, shown when one is missing. */
  installHint: string;
}

export interface CadRunSummary {
  id: string;
  volumeId: string;
  seriesInstanceUID: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  models: { id: string; version: string; task: string }[];
  /** The execution provider the run actually used. */
  provider: string;
  /** Providers passed over before it, with onnxruntime's reason (e.g. webgpu: no supported adapters). */
  providerFallback: { name: string; reason: string }[];
  params: Record<string, unknown>;
  timingsMs: Record<string, number>;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  findingCount: number;
}

/** Where Lung-RADS applies; shown with every category. */
export const LUNG_RADS_SCOPE = 'Lung-RADS v2022 applies to low-dose lung cancer screening CT only, not to diagnostic or follow-up CT of known disease.';

/**
 * Exam-level Lung-RADS of the latest completed CAD run, over the findings that count: those at or above the
 * run's own stored operating point (minScore), never a display filter.
 */
export interface ExamLungRads {
  runId: string | null;
  /** Highest nodule category (lungRadsExam); null when there is no completed run or it cannot be computed. */
  category: string | null;
  reason: string;
  minScore: number;
  /** CAD findings at or above minScore that entered the category. */
  noduleCount: number;
}

/** The lowest CAD operating point (score) at which findings are reported. Candidates scored below it are neither
 *  characterised nor stored (characterising them cost most of a whole-scan run); the UI's slider starting at 0
 *  therefore shows every reported finding. */
export const CAD_SCORE_FLOOR = 0.25;
/** The default operating point (score) of the built-in detector: where a reader starts. */
export const CAD_DEFAULT_OPERATING_POINT = 0.5;
