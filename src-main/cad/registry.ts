// The installed CAD models: built-ins shipped in resources/models/<id>/ and user-installed ones in
// <data>/models/<id>/. A model is accepted only when its manifest parses, its file matches the manifest's
// SHA-256, and the ONNX graph's inputs/outputs match what the manifest promises.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import { MANIFEST_FILE, ManifestError, assertInsideModelDir, readManifest, type Manifest } from './manifest';
import { loadOrt, shortenOrtMessage } from './providers';
import type { ModelInfo } from '../shared/cadTypes';

export interface InstalledModel {
  manifest: Manifest;
  dir: string;
  modelPath: string;
  builtin: boolean;
}

/** The classical detector (no ONNX file): listed so runs and the UI can name it like any model. */
export const CLASSICAL_DETECTOR = {
  id: 'pulmo-classical',
  version: '1.0.0',
  name: 'Pulmo classical detector (Hessian candidates + feature-based false-positive reduction)',
  task: 'detection' as const,
  license: 'Part of Pulmo',
  intendedUse: 'Research use only. Candidate nodule detection as a second-reader aid; every finding must be confirmed by a radiologist.',
};

export type ModelSummary = ModelInfo;

export function summarize(m: InstalledModel): ModelSummary {
  const f = m.manifest;
  return {
    id: f.id,
    version: f.version,
    name: f.name,
    task: f.task,
    builtin: m.builtin,
    kind: 'onnx',
    license: f.license,
    intendedUse: f.intendedUse,
    description: f.description,
    input: { layout: f.input.layout, size: [...f.input.size], spacingMm: f.input.spacingMm ? [...f.input.spacingMm] : null, windowHU: f.input.windowHU },
    classes: f.task === 'classification' || f.task === 'malignancy' ? [...f.classes] : undefined,
    sha256: f.sha256,
    training: f.training,
  };
}

export function classicalSummary(): ModelSummary {
  return { ...CLASSICAL_DETECTOR, builtin: true, kind: 'classical' };
}

export function sha256File(file: string): string {
  const h = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

function modelFileOf(dir: string, m: Manifest): string {
  return path.join(dir, m.file);
}

/** Checks the file's SHA-256 against the manifest. */
export function verifyChecksum(dir: string, m: Manifest): void {
  const file = modelFileOf(dir, m);
  if (!fs.existsSync(file)) throw new ManifestError(path.join(dir, MANIFEST_FILE), 'file', `names ${m.file}, which is not in ${dir}`);
  assertInsideModelDir(dir, file, 'file');
  const actual = sha256File(file);
  if (actual !== m.sha256) {
    throw new ManifestError(path.join(dir, MANIFEST_FILE), 'sha256', `is ${m.sha256} but ${m.file} hashes to ${actual}: the file is corrupt or not the one the manifest describes`);
  }
}

/** Compares the graph's declared inputs/outputs with the manifest; returns the first mismatch. */
export function checkSignature(session: InferenceSession, m: Manifest, file: string): void {
  const fail = (field: string, reason: string): never => {
    throw new ManifestError(file, field, reason);
  };
  if (!session.inputNames.includes(m.input.name)) fail('input.name', `is "${m.input.name}" but the model's inputs are ${session.inputNames.map((n) => `"${n}"`).join(', ')}`);
  if (session.inputNames.length !== 1) fail('input.name', `the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); CAD models must take exactly one`);
  if (!session.outputNames.includes(m.output.name)) fail('output.name', `is "${m.output.name}" but the model's outputs are ${session.outputNames.map((n) => `"${n}"`).join(', ')}`);

  const rank = m.input.layout === 'NCDHW' ? 5 : 4;
  const inMeta = session.inputMetadata?.find((x) => x.name === m.input.name);
  if (inMeta && inMeta.isTensor) {
    if (inMeta.type !== 'float32') fail('input.name', `the model's input "${m.input.name}" is ${inMeta.type}; float32 is required`);
    const shape = inMeta.shape;
    if (shape.length && shape.length !== rank) fail('input.layout', `is ${m.input.layout} (rank ${rank}) but the model's input has rank ${shape.length} (${shape.join('x')})`);
    if (shape.length === rank) {
      if (typeof shape[1] === 'number' && shape[1] !== 1) fail('input.layout', `expects 1 channel but the model's input has ${shape[1]}`);
      m.input.size.forEach((s, i) => {
        const d = shape[2 + i];
        if (typeof d === 'number' && d !== s) fail('input.size', `is ${m.input.size.join('x')} but the model's input is ${shape.slice(2).join('x')}`);
      });
    }
  }
  const outMeta = session.outputMetadata?.find((x) => x.name === m.output.name);
  if (outMeta && outMeta.isTensor && outMeta.shape.length) {
    const shape = outMeta.shape;
    if (m.task === 'classification' || m.task === 'malignancy') {
      const last = shape[shape.length - 1];
      if (shape.length !== 2) fail('output.name', `must be [batch, ${m.classes.length}] class scores; the model's output is ${shape.join('x')}`);
      if (typeof last === 'number' && last !== m.classes.length) fail('classes', `lists ${m.classes.length} classes but the model outputs ${last}`);
    } else if (m.task === 'detection') {
      if (shape.length !== rank) fail('output.name', `a heatmap must have the input's rank ${rank}; the model's output is ${shape.join('x')}`);
      m.input.size.forEach((s, i) => {
        const d = shape[2 + i];
        if (typeof d === 'number' && d !== s) fail('output.name', `heatmap size ${shape.slice(2).join('x')} differs from the input size ${m.input.size.join('x')}`);
      });
    }
  }
}

/** Full validation of a model folder: manifest, checksum, and a CPU session whose signature matches. */
export async function validateModelDir(dir: string): Promise<Manifest> {
  const manifest = readManifest(dir);
  verifyChecksum(dir, manifest);
  const file = modelFileOf(dir, manifest);
  let session: InferenceSession;
  try {
    session = await loadOrt().InferenceSession.create(file, { executionProviders: ['cpu'], logSeverityLevel: 4 });
  } catch (err) {
    throw new ManifestError(file, '', `is not a model onnxruntime can load: ${shortenOrtMessage((err as Error).message)}`);
  }
  try {
    checkSignature(session, manifest, path.join(dir, MANIFEST_FILE));
  } finally {
    await session.release();
  }
  return manifest;
}

export interface RegistryListing {
  models: InstalledModel[];
  /** Folders that hold something but were skipped, with why. */
  rejected: { dir: string; reason: string }[];
}

export class ModelRegistry {
  constructor(
    readonly builtinDir: string,
    readonly userDir: string,
  ) {}

  /** Reads manifests only (fast); checksums are verified when a model is added and again before it runs. */
  list(): RegistryListing {
    const out: RegistryListing = { models: [], rejected: [] };
    const seen = new Set<string>();
    for (const [root, builtin] of [[this.builtinDir, true], [this.userDir, false]] as const) {
      if (!fs.existsSync(root)) continue;
      for (const name of fs.readdirSync(root).sort()) {
        const dir = path.join(root, name);
        if (!fs.statSync(dir).isDirectory() || name.startsWith('.')) continue;
        try {
          const manifest = readManifest(dir);
          if (seen.has(manifest.id)) {
            out.rejected.push({ dir, reason: `model id "${manifest.id}" is already installed from another folder` });
            continue;
          }
          seen.add(manifest.id);
          out.models.push({ manifest, dir, modelPath: modelFileOf(dir, manifest), builtin });
        } catch (err) {
          out.rejected.push({ dir, reason: (err as Error).message });
        }
      }
    }
    return out;
  }

  get(id: string): InstalledModel | undefined {
    return this.list().models.find((m) => m.manifest.id === id);
  }

  /** Validates `dir` and installs a copy under the user models folder (replacing an older user copy of the same id). */
  async add(dir: string): Promise<InstalledModel> {
    const src = path.resolve(dir);
    if (!fs.existsSync(src) || !fs.statSync(src).isDirectory()) throw new Error(`${src}: not a folder (a model folder holds ${MANIFEST_FILE} and the .onnx file)`);
    const manifest = await validateModelDir(src);
    const existing = this.get(manifest.id);
    if (existing?.builtin) throw new ManifestError(path.join(src, MANIFEST_FILE), 'id', `"${manifest.id}" is the id of a built-in model; choose another id`);
    const dest = path.join(this.userDir, manifest.id);
    const tmp = path.join(this.userDir, `.${manifest.id}.tmp-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    fs.copyFileSync(path.join(src, MANIFEST_FILE), path.join(tmp, MANIFEST_FILE));
    fs.copyFileSync(modelFileOf(src, manifest), path.join(tmp, manifest.file));
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(tmp, dest);
    return { manifest, dir: dest, modelPath: modelFileOf(dest, manifest), builtin: false };
  }
}
