// The one detector contract of the CAD pipeline. The built-in classical detector (cad/detector) and ONNX
// detection models (cad/onnxDetector.ts) both implement `Detector` and return `Candidate`s, so computeCad
// treats them alike: characterise, classify and report whatever a detector proposes.
import type { HuVolume, Vec3 } from '../shared/geometry';

/** One proposed nodule, in patient space (LPS, mm). */
export interface Candidate {
  centerLPS: Vec3;
  /** Detector's size estimate (mm); characterisation measures the real size. */
  radiusMm: number;
  /** 0..1, higher = more nodule-like; ranks candidates for an FROC and is compared to the operating point. */
  score: number;
  /** What the detector measured to reach its score (named numbers: shape, density, anatomy, model output). */
  features: Record<string, number>;
}

/** A candidate the detector set aside on anatomy (vessel, hilum, bone, calcification): kept for the debug layer. */
export interface RejectedCandidate extends Candidate {
  reason: string;
}

/** What a detector learned about the lungs (used to place nodules in zones and sides); null when unknown. */
export interface LungFacts {
  zRangeMm: [number, number];
  midlineXMm: number;
}

export interface DetectionResult {
  /** Strongest first. */
  candidates: Candidate[];
  /** Candidates set aside on anatomy, with the reason; never shown in the reader's list. */
  rejected: RejectedCandidate[];
  timingsMs: Record<string, number>;
  lung: LungFacts | null;
}

export interface DetectOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

export interface Detector {
  readonly id: string;
  readonly version: string;
  /** The default operating point: the score from which a candidate is shown to the reader (a property of the run). */
  readonly operatingPoint: number;
  detect(vol: HuVolume, opts?: DetectOptions): Promise<DetectionResult>;
}
