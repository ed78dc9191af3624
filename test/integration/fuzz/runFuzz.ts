// The fuzz harness: batches of seeded mutants of the real LIDC-IDRI crops, each batch imported beside the intact
// slices of LIDC-IDRI-0001 by the real `pulmo import --json` (worker thread, SQLite, volume cache) in its own
// process with a time limit. Counts crashes (non-zero exit, signal, no JSON), hangs (time limit), rejections
// without a code or a readable reason, mutants that had to be rejected but reached a volume (silent wrong HU),
// intact series that did not import byte-identically, and database integrity after every batch.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { isRejectCode } from '../../../src-main/shared/errorCodes';
import { mulberry32 } from '../../fixtures/prng';
import { lidcSlices, repoRoot } from '../../fixtures/dicom/paths';
import { cropSlice, mutate, reidentify, type Mutant } from './mutators';

export interface FuzzOptions {
  count: number;
  seed: number;
  workDir: string;
  batchSize?: number;
  /** Time a batch may take: base + per file (a hang is a batch over it). */
  baseLimitMs?: number;
  perFileLimitMs?: number;
  log?: (line: string) => void;
}

export interface FuzzFigures {
  seed: number;
  batches: number;
  mutantsTried: number;
  intactFilesTried: number;
  crashes: number;
  hangs: number;
  /** Mutants that had to be rejected (undefined HU or geometry) but are instances of a built volume. */
  wrongHU: number;
  rejections: number;
  rejectionsWithoutCode: number;
  intactMismatches: number;
  integrityFailures: number;
  byKind: Record<string, { tried: number; rejected: number }>;
  byCode: Record<string, number>;
  maxBatchMs: number;
  totalMs: number;
  /** The first few problems, each naming batch, file and what went wrong. */
  problems: string[];
}

const pulmo = path.join(repoRoot, 'bin', 'pulmo.js');
const CROP = 96;

interface Imported {
  ok: boolean;
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  ms: number;
  summary: { errors: { file: string; code?: unknown; reason?: unknown }[] } | null;
  stderr: string;
}

function runImport(src: string, dataDir: string, limitMs: number): Imported {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [pulmo, 'import', src, '--json', '--data', dataDir], { encoding: 'utf8', timeout: limitMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  let summary: Imported['summary'] = null;
  try {
    summary = JSON.parse(r.stdout);
  } catch {
    summary = null;
  }
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  return { ok: r.status === 0 && summary !== null, status: r.status, signal: r.signal, timedOut, ms, summary, stderr: (r.stderr ?? '').slice(-2000) };
}

interface Baseline {
  seriesUID: string;
  sha256: string;
  geometry: string;
  instances: number;
}

function volumeOf(dataDir: string, seriesUID: string): { sha256: string; geometry: string; instances: number } | null {
  const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true });
  try {
    const v = db
      .prepare('SELECT v.cache_path AS p, v.geometry_json AS g, v.series_ref AS s FROM volumes v JOIN series s ON s.id = v.series_ref WHERE s.series_uid = ?')
      .get(seriesUID) as { p: string; g: string; s: number } | undefined;
    if (!v) return null;
    const n = (db.prepare('SELECT COUNT(*) AS n FROM instances WHERE series_ref = ?').get(v.s) as { n: number }).n;
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(path.join(dataDir, 'volumes', v.p))).digest('hex');
    return { sha256, geometry: v.g, instances: n };
  } finally {
    db.close();
  }
}

/** Problems a database has after a batch: integrity, foreign keys, volumes without their files. */
function integrity(dataDir: string): string[] {
  const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true });
  try {
    const out: string[] = [];
    const ic = db.pragma('integrity_check', { simple: true });
    if (ic !== 'ok') out.push(`integrity_check: ${ic}`);
    if ((db.pragma('foreign_key_check') as unknown[]).length) out.push('foreign_key_check failed');
    for (const v of db.prepare('SELECT cache_path, byte_length FROM volumes').all() as { cache_path: string; byte_length: number }[]) {
      const f = path.join(dataDir, 'volumes', v.cache_path);
      if (!fs.existsSync(f) || fs.statSync(f).size !== v.byte_length) out.push(`volume file ${v.cache_path} missing or wrong size`);
    }
    return out;
  } finally {
    db.close();
  }
}

/** Files of mutants that are instances of a series part with a built volume. */
function filesInVolumes(dataDir: string): Set<string> {
  const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true });
  try {
    return new Set((db.prepare('SELECT i.file_path AS f FROM instances i WHERE EXISTS (SELECT 1 FROM volumes v WHERE v.series_ref = i.series_ref)').all() as { f: string }[]).map((r) => r.f));
  } finally {
    db.close();
  }
}

function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

export function runFuzz(opts: FuzzOptions): FuzzFigures {
  const log = opts.log ?? (() => {});
  const batchSize = opts.batchSize ?? 200;
  // Generous on purpose: a shared CI machine can be many times slower than an idle one; a real hang never ends.
  const perFile = opts.perFileLimitMs ?? 1000;
  const base = opts.baseLimitMs ?? 60_000;
  const t0 = performance.now();
  const rand = mulberry32(opts.seed);
  const intact = lidcSlices('LIDC-IDRI-0001').sort();
  const seeds = [...intact, ...lidcSlices('LIDC-IDRI-0003').sort()].map((f) => cropSlice(fs.readFileSync(f), CROP));
  const figures: FuzzFigures = {
    seed: opts.seed, batches: 0, mutantsTried: 0, intactFilesTried: 0, crashes: 0, hangs: 0, wrongHU: 0, rejections: 0, rejectionsWithoutCode: 0,
    intactMismatches: 0, integrityFailures: 0, byKind: {}, byCode: {}, maxBatchMs: 0, totalMs: 0, problems: [],
  };
  const problem = (s: string): void => {
    if (figures.problems.length < 20) figures.problems.push(s);
    log(`PROBLEM ${s}`);
  };

  // Baseline: the intact slices alone.
  const baseDir = path.join(opts.workDir, 'baseline');
  fs.mkdirSync(path.join(baseDir, 'src'), { recursive: true });
  intact.forEach((f, i) => linkOrCopy(f, path.join(baseDir, 'src', `intact-${i}.dcm`)));
  const b0 = runImport(path.join(baseDir, 'src'), path.join(baseDir, 'data'), base + perFile * intact.length);
  if (!b0.ok) throw new Error(`the baseline import of the intact LIDC-IDRI-0001 slices failed: ${b0.stderr}`);
  const seriesUID = (b0.summary as unknown as { series: { seriesInstanceUID: string; volumeId: string | null }[] }).series.find((s) => s.volumeId)?.seriesInstanceUID;
  if (!seriesUID) throw new Error('the baseline import built no volume');
  const baseline: Baseline = { seriesUID, ...volumeOf(path.join(baseDir, 'data'), seriesUID)! };
  fs.rmSync(baseDir, { recursive: true, force: true });

  let deflateBombDone = false;
  for (let b = 0, made = 0; made < opts.count; b++) {
    const n = Math.min(batchSize, opts.count - made);
    const dir = path.join(opts.workDir, `batch-${b}`);
    const src = path.join(dir, 'src');
    fs.mkdirSync(path.join(src, 'intact'), { recursive: true });
    fs.mkdirSync(path.join(src, 'mutants'), { recursive: true });
    intact.forEach((f, i) => linkOrCopy(f, path.join(src, 'intact', `intact-${i}.dcm`)));
    const mutants = new Map<string, Mutant>();
    const batchSeries = `2.25.${opts.seed}${b}77`;
    for (let i = 0; i < n; i++) {
      const seed = reidentify(seeds[Math.floor(rand() * seeds.length)], batchSeries, `${batchSeries}.${i + 1}`);
      const m = mutate(rand, seed, { deflateBombBytes: 600 << 20, allowDeflateBomb: !deflateBombDone });
      if (m.detail.startsWith('deflate bomb')) deflateBombDone = true;
      const file = path.join(src, 'mutants', `m${String(i).padStart(4, '0')}.dcm`);
      fs.writeFileSync(file, m.bytes);
      mutants.set(file, m);
      const k = (figures.byKind[m.kind] ??= { tried: 0, rejected: 0 });
      k.tried++;
    }
    made += n;
    const dataDir = path.join(dir, 'data');
    const r = runImport(src, dataDir, base + perFile * (n + intact.length));
    figures.batches++;
    figures.mutantsTried += n;
    figures.intactFilesTried += intact.length;
    figures.maxBatchMs = Math.max(figures.maxBatchMs, r.ms);
    log(`batch ${b}: ${n} mutants + ${intact.length} intact, ${r.ms.toFixed(0)} ms, exit ${r.status ?? r.signal}${r.timedOut ? ' (TIMED OUT)' : ''}`);
    if (r.timedOut) {
      figures.hangs++;
      problem(`batch ${b}: no answer within ${base + perFile * (n + intact.length)} ms (kept in ${dir})`);
      continue;
    }
    if (!r.ok) {
      figures.crashes++;
      problem(`batch ${b}: exit ${r.status ?? r.signal}: ${r.stderr.slice(-500)} (kept in ${dir})`);
      continue;
    }
    const rejected = new Set<string>();
    for (const e of r.summary!.errors) {
      figures.rejections++;
      rejected.add(e.file);
      if (!isRejectCode(e.code) || typeof e.reason !== 'string' || e.reason.trim() === '' || e.reason.includes('[object Object]')) {
        figures.rejectionsWithoutCode++;
        problem(`batch ${b}: rejection without a code or reason: ${JSON.stringify(e).slice(0, 300)}`);
      } else figures.byCode[e.code] = (figures.byCode[e.code] ?? 0) + 1;
    }
    const inVolumes = filesInVolumes(dataDir);
    for (const [file, m] of mutants) {
      if (rejected.has(file) || !inVolumes.has(file)) figures.byKind[m.kind].rejected++;
      if (m.mustReject && inVolumes.has(file)) {
        figures.wrongHU++;
        problem(`batch ${b}: ${path.basename(file)} (${m.kind}: ${m.detail}) had to be rejected but is in a volume`);
        fs.copyFileSync(file, path.join(opts.workDir, `wrongHU-b${b}-${path.basename(file)}`));
      }
    }
    const got = volumeOf(dataDir, baseline.seriesUID);
    if (!got || got.sha256 !== baseline.sha256 || got.geometry !== baseline.geometry || got.instances !== baseline.instances) {
      figures.intactMismatches++;
      problem(`batch ${b}: the intact series imported differently (${got ? `${got.instances} instances, sha ${got.sha256.slice(0, 12)}` : 'no volume'})`);
    }
    const bad = integrity(dataDir);
    if (bad.length) {
      figures.integrityFailures++;
      problem(`batch ${b}: ${bad.join('; ')}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  figures.totalMs = Math.round(performance.now() - t0);
  figures.maxBatchMs = Math.round(figures.maxBatchMs);
  return figures;
}
