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
]);

export type Manifest = z.output<typeof manifestSchema>;
export type DetectionManifest = Extract<Manifest, { task: 'detection' }>;
export type ClassificationManifest = Extract<Manifest, { task: 'classification' }>;

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

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ManifestError(file, '', `cannot be read: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(file, '', `is not valid JSON: ${(err as Error).message}`);
  }
  return parseManifest(json, file);
}

/** Clip to the window and map linearly onto normalizeTo. */
export function normalizer(m: Manifest): (hu: number) => number {
  const [lo, hi] = m.input.windowHU;
  const [a, b] = m.input.normalizeTo;
  const k = (b - a) / (hi - lo);
  return (hu) => (Math.min(hi, Math.max(lo, hu)) - lo) * k + a;
}
