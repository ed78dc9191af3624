// The CAD pipeline on one volume, without the database: a Detector (the classical one or an ONNX detection model,
// one contract: detection.ts) → characterise each candidate that can be shown → Lung-RADS and Brock →
// cancer-type classification → findings. Serializable in and out (except signal/progress), so it runs the same
// in-process or in the CAD worker.
import crypto from 'node:crypto';
import type { HuVolume, Vec3 } from '../shared/geometry';
import type { ClassProbs, EstimateModel, Finding, MalignancyEstimate } from '../shared/types';
import { CAD_SCORE_FLOOR } from '../shared/cadTypes';
import type { Candidate, Detector, RejectedCandidate } from './detection';
import type { NoduleCharacteristics } from './measure/characterizeNodule';
import type { ClassificationManifest, DetectionManifest, MalignancyManifest } from './manifest';
import { brockFromInputs, cadBrockInputs, type PatientFacts } from './brockInputs';
import { classifyAt, malignancyAt } from './classify';
import { onnxDetector } from './onnxDetector';
import { getSession } from './session';
import { throwIfCancelled } from '../shared/cancellation';

/** The measurement function's own type (cad/measure), named as the pipeline uses it. */
export type Characteristics = NoduleCharacteristics;
export interface CadDeps {
  /** The built-in detector; provider: the run's execution provider, for filters it runs as ONNX graphs. */
  classicalDetector(ref: ModelRef, provider: string): Detector;
  characterizeNodule(vol: HuVolume, seedLPS: Vec3, opts: { radiusHintMm?: number; lungZRangeMm?: [number, number]; midlineXMm?: number }): Characteristics | null;
  lungRadsNodule(n: Characteristics): { category: string; reason: string };
}

export interface ModelRef {
  id: string;
  version: string;
}
export type DetectorSpec = ({ kind: 'classical' } & ModelRef) | ({ kind: 'onnx'; manifest: DetectionManifest; modelPath: string } & ModelRef);
export interface ClassifierSpec extends ModelRef {
  manifest: ClassificationManifest;
  modelPath: string;
}

export interface MalignancySpec extends ModelRef {
  manifest: MalignancyManifest;
  modelPath: string;
}

/** How a finding names the model behind an estimate: id, version, training data, and the CV verdict. */
export function estimateModel(spec: { id: string; version: string; manifest: ClassificationManifest | MalignancyManifest }): EstimateModel {
  const t = spec.manifest.training;
  return { id: spec.id, version: spec.version, ...(t ? { trainingData: t.data, betterThanChance: t.betterThanChance, ...(t.notice ? { notice: t.notice } : {}) } : {}) };
}

export interface ComputeInput {
  runId: string;
  seriesInstanceUID: string;
  detector: DetectorSpec;
  classifier: ClassifierSpec | null;
  /** Malignancy model (absent in callers that predate it = none). */
  malignancy?: MalignancySpec | null;
  provider: string;
  patient: PatientFacts;
}

export interface ComputeOutput {
  findings: Finding[];
  timingsMs: Record<string, number>;
  /** candidates: proposed and kept by the detector; belowFloor: of those, scored under CAD_SCORE_FLOOR (not
   *  characterised, not reported); rejected: set aside on anatomy; characterised: segmented and measured. */
  counts: { candidates: number; belowFloor: number; rejected: number; characterised: number };
  /** The debug layer: candidates the detector set aside on anatomy, with the reason (never in the reader's list). */
  rejected: RejectedCandidate[];
  /** The detector's default operating point (score) for this run, to be stored with the run and shown. */
  operatingPoint: number;
}

/** Brock inputs Pulmo cannot know from the CT alone; every run records that they were taken as absent. */
export const BROCK_ASSUMPTIONS = 'Brock: family history of lung cancer, emphysema and spiculation are not known to Pulmo and are taken as absent; no Brock value without age and sex';

export type ProgressFn = (fraction: number, stage: string) => void;

function aborted(signal?: AbortSignal): void {
  throwIfCancelled(signal, 'CAD run');
}

/** Detection 0–0.6, characterisation 0.6–0.85, classification 0.85–1. */
export async function computeCad(vol: HuVolume, input: ComputeInput, deps: CadDeps, opts: { signal?: AbortSignal; onProgress?: ProgressFn } = {}): Promise<ComputeOutput> {
  const timingsMs: Record<string, number> = {};
  const progress = opts.onProgress ?? (() => {});
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const t = performance.now();
    try {
      return await f();
    } finally {
      timingsMs[name] = Math.round((performance.now() - t) * 10) / 10;
    }
  };

  // Detection, through the one Detector contract.
  const det = input.detector;
  const detector: Detector =
    det.kind === 'classical'
      ? deps.classicalDetector(det, input.provider)
      : onnxDetector(det, det.manifest, () => getSession(`${det.id}@${det.version}#${det.manifest.sha256}`, det.modelPath, input.provider));
  const detected = await timed('detect', () => detector.detect(vol, { signal: opts.signal, onProgress: (f, s) => progress(0.6 * f, `detect: ${s}`) }));
  for (const [k, v] of Object.entries(detected.timingsMs)) timingsMs[`detect.${k}`] = Math.round(v * 10) / 10;
  aborted(opts.signal);
  // Only candidates the UI can show (score at or above its lowest operating point) are characterised: the rest
  // would cost most of the run's time and never reach a reader.
  const shown = detected.candidates.filter((c) => c.score >= CAD_SCORE_FLOOR);

  // Characterisation: candidates that cannot be segmented keep the detector's position and size only.
  const measured = await timed('characterise', async () => {
    const out: { cand: Candidate; ch: Characteristics | null }[] = [];
    for (let n = 0; n < shown.length; n++) {
      aborted(opts.signal);
      const cand = shown[n];
      const lung = detected.lung ? { lungZRangeMm: detected.lung.zRangeMm, midlineXMm: detected.lung.midlineXMm } : {};
      out.push({ cand, ch: deps.characterizeNodule(vol, cand.centerLPS, { radiusHintMm: cand.radiusMm, ...lung }) });
      progress(0.6 + (0.25 * (n + 1)) / shown.length, 'characterise');
    }
    return out;
  });

  // Classification at the measured centres.
  let classProbs: (ClassProbs | null)[] = measured.map(() => null);
  const cls = input.classifier;
  if (cls && measured.length) {
    classProbs = await timed('classify', async () => {
      const session = await getSession(`${cls.id}@${cls.version}#${cls.manifest.sha256}`, cls.modelPath, input.provider);
      return classifyAt(vol, measured.map((m) => m.ch?.centerLPS ?? m.cand.centerLPS), cls.manifest, session, { signal: opts.signal });
    });
  }
  let malignancy: (MalignancyEstimate | null)[] = measured.map(() => null);
  const mal = input.malignancy;
  if (mal && measured.length) {
    malignancy = await timed('malignancy', async () => {
      const session = await getSession(`${mal.id}@${mal.version}#${mal.manifest.sha256}`, mal.modelPath, input.provider);
      const p = await malignancyAt(vol, measured.map((m) => m.ch?.centerLPS ?? m.cand.centerLPS), mal.manifest, session, { signal: opts.signal });
      return p.map((probability) => ({ probability, threshold: mal.manifest.threshold, aboveThreshold: probability >= mal.manifest.threshold }));
    });
  }
  aborted(opts.signal);
  progress(1, 'findings');

  // Brock's nodule count: the nodules that count at the run's operating point (the detector's, recorded with the
  // run), not every candidate.
  const noduleCount = Math.max(1, measured.filter((m) => m.cand.score >= detector.operatingPoint).length);
  // A diameter below the finest voxel spacing is not a measurement of a nodule but a failed segmentation.
  const voxelMm = Math.min(...vol.geometry.spacing);
  const findings: Finding[] = measured.map(({ cand, ch }, n) => {
    const r = cand.radiusMm;
    const c = ch?.centerLPS ?? cand.centerLPS;
    const subVoxel = !!ch && !(ch.diameterMm >= voxelMm);
    const brockInputs = ch ? cadBrockInputs(input.patient, ch.location.zone === 'upper', noduleCount) : null;
    return {
      id: crypto.randomUUID(),
      seriesInstanceUID: input.seriesInstanceUID,
      source: 'cad',
      label: `CAD ${n + 1}`,
      centerLPS: c,
      boxLPS: ch?.boxLPS ?? { min: [c[0] - r, c[1] - r, c[2] - r], max: [c[0] + r, c[1] + r, c[2] + r] },
      diameterMm: ch?.diameterMm ?? null,
      longAxisMm: ch?.longAxisMm ?? null,
      shortAxisMm: ch?.shortAxisMm ?? null,
      volumeMm3: ch?.volumeMm3 ?? null,
      meanHU: ch?.meanHU ?? null,
      type: ch?.type ?? null,
      lungRads: ch && !subVoxel ? deps.lungRadsNodule(ch).category : null,
      brock: ch && brockInputs && !subVoxel ? brockFromInputs(brockInputs, ch.diameterMm, ch.type) : null,
      brockInputs,
      measurementNote: subVoxel
        ? `Segmentation failed: measured diameter ${ch!.diameterMm.toFixed(1)} mm is below the voxel size (${voxelMm.toFixed(2)} mm); no Lung-RADS category or Brock — measure by hand`
        : null,
      solidComponentMm: ch?.solidComponentMm ?? null,
      classProbs: classProbs[n],
      classModel: cls && classProbs[n] ? estimateModel(cls) : null,
      malignancy: malignancy[n],
      malignancyModel: mal && malignancy[n] ? estimateModel(mal) : null,
      score: cand.score,
      detectorFeatures: cand.features,
      modelId: det.id,
      modelVersion: det.version,
      runId: input.runId,
      contours: ch?.contours ?? [],
    };
  });
  const counts = { candidates: detected.candidates.length, belowFloor: detected.candidates.length - shown.length, rejected: detected.rejected.length, characterised: measured.filter((m) => m.ch).length };
  return { findings, timingsMs, counts, rejected: detected.rejected, operatingPoint: detector.operatingPoint };
}
