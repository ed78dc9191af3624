// The model contract: manifest.json beside model.onnx says what the model does, what it expects (input name,
// layout, patch size, voxel spacing, HU window and normalisation) and how to read its output. Validated with zod
// so a bad manifest is rejected with the field that is wrong.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const CLASS_LABELS = ['benign', 'AC', 'SCC'] as const;

const positive = z.number().finite().positive();
const size3 = z.tuple([z.number().int().positive(), z.number().int().positive(), z.number().int().positive()]);
const size2 = z.tuple([z.number().int().positive(), z.number().int().positive()]);

const inputSchema = z
  .object({
    name: z.string().min(1),
    /** NCDHW: 3D patches (D = slices, H = rows, W = columns); NCHW: one axial slice crop. */
    layout: z.enum(['NCDHW', 'NCHW']),
    /** Patch size in voxels after resampling: [D, H, W] for NCDHW, [H, W] for NCHW. */
    size: z.union([size3, size2]),
    /** Voxel spacing (mm) to resample to, as [z, y, x] (slice, row, column); null = use the volume as is. */
    spacingMm: z.tuple([positive, positive, positive]).nullable(),
    /** HU clipping window applied before normalisation (the LDFC paper clips to [-1200, 600]). */
    windowHU: z.tuple([z.number().finite(), z.number().finite()]).refine(([a, b]) => b > a, 'window max must exceed min'),
    /** Linear map of the clipped window onto this range. */
    normalizeTo: z.tuple([z.number().finite(), z.number().finite()]).default([0, 1]),
    /** Grey levels the windowed value is rounded to before normalisation (256 = the LDFC BMPs' 8 bits); absent = none. */
    quantizeLevels: z.number().int().min(2).max(65536).optional(),
    /** How voxels are sampled: linear (trilinear) or nearest (the model was trained on unresampled pixels). */
    interpolation: z.enum(['linear', 'nearest']).default('linear'),
  })
  .strict();

/** A figure with its 95 % confidence interval. */
const withCI = z.object({ mean: z.number().finite(), ci95: z.tuple([z.number().finite(), z.number().finite()]) }).strict();

/** What a trained model learned from and how well it did in patient-grouped cross-validation (shown per finding). */
const trainingSchema = z
  .object({
    /** The data it learned from, in words (dataset, size, label source). */
    data: z.string().min(1),
    /** e.g. "5-fold cross-validation grouped by patient, 95 % CI by patient bootstrap". */
    validation: z.string().min(1),
    /** CV metrics by name (auc, acc, qwk, brier, ece …). */
    cv: z.record(z.string(), withCI),
    /** False when patient-grouped CV does not beat the majority/chance baseline: the UI then shows no numbers. */
    betterThanChance: z.boolean(),
    /** One line shown instead of probabilities when betterThanChance is false. */
    notice: z.string().optional(),
  })
  .strict();

const detectionOutput = z
  .object({
    name: z.string().min(1),
    /** heatmap: one channel per voxel of the input patch; local maxima above threshold are candidates. */
    decoding: z.literal('heatmap'),
    activation: z.enum(['none', 'sigmoid']).default('none'),
    threshold: z.number().min(0).max(1),
    /** Candidates closer than this (mm) are merged by 3D NMS. */
    nmsDistanceMm: positive.default(5),
    /** Size assumed for the measurement seed when the model gives none. */
    radiusMm: positive.default(5),
    /** The best candidates kept after NMS (each is segmented and measured, ~0.1 s apiece on a CPU). */
    maxCandidates: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

const classificationOutput = z
  .object({
    name: z.string().min(1),
    decoding: z.literal('classes'),
    /** softmax: the output is logits; none: already probabilities. */
    activation: z.enum(['softmax', 'none']).default('softmax'),
  })
  .strict();

const common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be lower-case letters, digits, ".", "_" or "-" (at most 64)'),
  version: z.string().regex(/^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/, 'must be a semantic version like 1.0.0'),
  name: z.string().min(1).max(200),
  file: z.string().regex(/^[^/\\]+\.onnx$/, 'must be a file name ending in .onnx, in the model folder').default('model.onnx'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lower-case hex SHA-256 of the model file'),
  license: z.string().min(1),
  intendedUse: z.string().min(1),
  description: z.string().optional(),
  input: inputSchema,
  training: trainingSchema.optional(),
};

export const manifestSchema = z.discriminatedUnion('task', [
  z
    .object({
      ...common,
      task: z.literal('detection'),
      output: detectionOutput,
      sliding: z.object({ overlap: z.number().min(0).max(0.9).default(0.25), batch: z.number().int().min(1).max(64).default(1) }).strict().default({ overlap: 0.25, batch: 1 }),
    })
    .strict(),
  z
    .object({
      ...common,
      task: z.literal('classification'),
      output: classificationOutput,
      /** The label of each output channel, in order; must be the three LDFC classes. */
      classes: z
        .array(z.enum(CLASS_LABELS))
        .length(3)
        .refine((c) => new Set(c).size === 3, 'must name benign, AC and SCC once each'),
    })
    .strict(),
  z
    .object({
      ...common,
      task: z.literal('malignancy'),
      /** Two scores in the order of `classes`; temperature scaling is part of the graph (calibrated probability). */
      output: classificationOutput,
      classes: z.tuple([z.literal('benign'), z.literal('malignant')]),
      /** Operating point: probability malignant at or above which a finding is called malignant. */
      threshold: z.number().min(0).max(1),
    })
    .strict(),
]);

export type Manifest = z.output<typeof manifestSchema>;
export type DetectionManifest = Extract<Manifest, { task: 'detection' }>;
export type ClassificationManifest = Extract<Manifest, { task: 'classification' }>;
export type MalignancyManifest = Extract<Manifest, { task: 'malignancy' }>;
export type TrainingInfo = z.output<typeof trainingSchema>;

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    reason: string,
  ) {
    super(`${file}: ${field ? `"${field}" ` : ''}${reason}`);
  }
}

export function parseManifest(json: unknown, file = MANIFEST_FILE): Manifest {
  const r = manifestSchema.safeParse(json);
  if (r.success) {
    const m = r.data;
    const rank = m.input.layout === 'NCDHW' ? 3 : 2;
    if (m.input.size.length !== rank) throw new ManifestError(file, 'input.size', `must have ${rank} values for layout ${m.input.layout}`);
    return m;
  }
  const issue = r.error.issues[0];
  // The engine runs detection and classification models only; a model it would refuse to run is not installed.
  if (issue.path.join('.') === 'task') {
    const task = (json as { task?: unknown } | null)?.task;
    throw new ManifestError(file, 'task', `must be "detection" or "classification"${typeof task === 'string' ? ` (this version of Pulmo does not run ${JSON.stringify(task)} models)` : ''}`);
  }
  const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys ?? [] : [];
  if (keys.length) throw new ManifestError(file, [...issue.path, keys.join(',')].join('.'), 'is not a manifest field (check its spelling)');
  throw new ManifestError(file, issue.path.join('.'), issue.message);
}

/** Largest manifest read: a manifest is a few hundred bytes of JSON. */
const MAX_MANIFEST_BYTES = 1 << 20;

/**
 * Throws unless `file` is a regular file inside `dir` (symbolic links resolved). A model folder is untrusted
 * input: a manifest.json or model.onnx linked to /etc/shadow must be refused before a byte of it is read, so
 * no error message can carry its content or its hash.
 */
export function assertInsideModelDir(dir: string, file: string, field: string): void {
  let real: string;
  let realDir: string;
  try {
    realDir = fs.realpathSync(dir);
    real = fs.realpathSync(file);
  } catch (err) {
    throw new ManifestError(file, field, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read');
  }
  const rel = path.relative(realDir, real);
  if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) {
    throw new ManifestError(file, field, 'lies outside the model folder (a symbolic link out of it): refused, not read');
  }
  if (!fs.statSync(real).isFile()) throw new ManifestError(file, field, 'is not a regular file: refused, not read');
}

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  assertInsideModelDir(dir, file, '');
  let text: string;
  try {
    if (fs.statSync(file).size > MAX_MANIFEST_BYTES) throw new Error(`over ${MAX_MANIFEST_BYTES} bytes`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ManifestError(file, '', `cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    // V8's message quotes the text around the fault; say where it is, not what it says.
    const at = /position (\d+)/.exec((err as Error).message);
    throw new ManifestError(file, '', `is not valid JSON${at ? ` (error at character ${at[1]})` : ''}`);
  }
  return parseManifest(json, file);
}

/**
 * Clip to the window, round to quantizeLevels grey levels if the manifest says so (round half up), and map linearly
 * onto normalizeTo. training/pulmo_train/preprocess.py window() does the same float64 operations in the same order.
 */
export function normalizer(m: Pick<Manifest, 'input'>): (hu: number) => number {
  const [lo, hi] = m.input.windowHU;
  const [a, b] = m.input.normalizeTo;
  const levels = m.input.quantizeLevels;
  if (levels) {
    const q = levels - 1;
    return (hu) => (Math.floor(((Math.min(hi, Math.max(lo, hu)) - lo) / (hi - lo)) * q + 0.5) / q) * (b - a) + a;
  }
  const k = (b - a) / (hi - lo);
  return (hu) => (Math.min(hi, Math.max(lo, hu)) - lo) * k + a;
}
