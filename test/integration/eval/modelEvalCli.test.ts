// `pulmo eval classification --model <id>`: the built CLI runs a shipped model on real truth folders itself
// (LIDC VOIs → AUC with CI, Brier, ECE; LDFC BMP class folders → ACC, QWK, confusion), and bad input is named.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, type MalignancyManifest } from '../../../src-main/cad/manifest';
import { scoreAt } from '../../../src-main/cad/classify';
import { loadOrt } from '../../../src-main/cad/providers';
import { readNifti } from '../../../src-main/formats/nifti';
import { repoRoot, sharedData, tempDir } from '../../fixtures/dicom/paths';
import { parseCsv } from '../../../src-main/formats/ldfc/csv';

const run = promisify(execFile);
const cli = path.join(repoRoot, 'bin', 'pulmo.js');
const vois = path.join(sharedData, 'lidc-vois');
const bmps = path.join(sharedData, 'ldfc', 'BMP_classification', 'train');
const haveData = fs.existsSync(path.join(vois, 'nodules.csv')) && fs.existsSync(bmps);
if (!haveData) console.warn(`modelEvalCli: skipped, ${vois} or ${bmps} is missing`);

let tmp: string;
async function pulmo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    return { code: 0, ...(await run(process.execPath, [cli, ...args, '--data', path.join(tmp, 'data')], { timeout: 300_000 })) };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A lidc-vois folder with the first `n` benign and `n` malignant nodules of the shared set. */
function voiSubset(n: number): { dir: string; rows: string[][]; header: string[] } {
  const dir = path.join(tmp, 'vois');
  const t = parseCsv(fs.readFileSync(path.join(vois, 'nodules.csv'), 'utf8'), 'nodules.csv');
  const diag = t.header.indexOf('Diagnosis');
  const pick = [...t.rows.filter((r) => r.cells[diag] === 'Benign').slice(0, n), ...t.rows.filter((r) => r.cells[diag] === 'Malign').slice(0, n)].map((r) => r.cells);
  for (const sub of ['image', 'mask']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
    for (const r of pick) fs.copyFileSync(path.join(vois, sub, r[0]), path.join(dir, sub, r[0]));
  }
  const q = (c: string) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  fs.writeFileSync(path.join(dir, 'nodules.csv'), [t.header, ...pick].map((r) => r.map(q).join(',')).join('\n') + '\n');
  return { dir, rows: pick, header: t.header };
}

/** A BMP_classification folder with `n` real slices per class. */
function bmpSubset(name: string, n: number): string {
  const dir = path.join(tmp, name);
  for (const c of ['0', '1', '2']) {
    fs.mkdirSync(path.join(dir, c), { recursive: true });
    for (const f of fs.readdirSync(path.join(bmps, c)).sort().slice(0, n)) fs.copyFileSync(path.join(bmps, c, f), path.join(dir, c, f));
  }
  return dir;
}

beforeAll(() => {
  tmp = tempDir('model-eval');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveData)('pulmo eval classification --model', () => {
  it('lidc-vois layout: AUC (with a patient-bootstrap CI), sensitivity/specificity, Brier and ECE of the malignancy model', async () => {
    const { dir, rows, header } = voiSubset(6);
    const r = await pulmo('eval', 'classification', '--truth', dir, '--model', 'pulmo-malignancy', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    for (const k of ['auc', 'aucCI', 'brier', 'ece', 'n']) expect(out, k).toHaveProperty(k);
    expect(out.n).toBe(12);
    expect(out.positives).toBe(6);
    // Independent check: score each VOI in-process at its mask centroid and compute the AUC by counting pairs.
    const m = readManifest(path.join(repoRoot, 'resources', 'models', 'pulmo-malignancy')) as MalignancyManifest;
    const session = await loadOrt().InferenceSession.create(path.join(repoRoot, 'resources', 'models', 'pulmo-malignancy', 'model.onnx'));
    const probs: number[] = [];
    for (const row of rows) {
      const img = readNifti(path.join(dir, 'image', row[0]));
      const mask = readNifti(path.join(dir, 'mask', row[0]));
      const [nx, ny] = img.dims;
      const pts: number[][] = [];
      mask.data.forEach((v, p) => v > 0 && pts.push([p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))]));
      const c = [0, 1, 2].map((a) => pts.reduce((s, q) => s + q[a], 0) / pts.length);
      const centre: [number, number, number] = [c[0] * img.spacing[0], c[1] * img.spacing[1], Math.round(c[2]) * img.spacing[2]];
      const vol = { voxels: Int16Array.from(img.data), geometry: { dims: img.dims, spacing: img.spacing, origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as [number, number, number, number, number, number, number, number, number] } };
      probs.push((await scoreAt(vol, [centre], m, session))[0][1]);
    }
    await session.release();
    const y = rows.map((row) => (row[header.indexOf('Diagnosis')] === 'Malign' ? 1 : 0));
    let ok = 0;
    for (let i = 0; i < y.length; i++) for (let j = 0; j < y.length; j++) if (y[i] === 1 && y[j] === 0) ok += probs[i] > probs[j] ? 1 : probs[i] === probs[j] ? 0.5 : 0;
    expect(out.auc).toBeCloseTo(ok / 36, 10);
    expect(out.brier).toBeCloseTo(probs.reduce((s, p, i) => s + (p - y[i]) ** 2, 0) / 12, 10);
    expect(out.aucCI[0]).toBeLessThanOrEqual(out.auc);
    expect(out.aucCI[1]).toBeGreaterThanOrEqual(out.auc);
    expect(out.threshold).toBe(m.threshold);
    const text = await pulmo('eval', 'classification', '--truth', dir, '--model', 'pulmo-malignancy');
    expect(text.stdout).toMatch(/ROC AUC \d\.\d{4} \(95 % CI \d\.\d{4}-\d\.\d{4}, bootstrap over patients\)/);
  }, 300_000);

  it('BMP_classification layout: ACC, QWK, per-class recall and the confusion matrix of the cancer-type model', async () => {
    const dir = bmpSubset('bmp', 2);
    const r = await pulmo('eval', 'classification', '--truth', dir, '--model', 'pulmo-cancer-type', '--json');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(6);
    expect(out.confusion.map((row: number[]) => row.reduce((a, b) => a + b, 0))).toEqual([2, 2, 2]);
    expect(out.acc).toBeCloseTo((out.confusion[0][0] + out.confusion[1][1] + out.confusion[2][2]) / 6, 12);
    expect(out.recall.benign).toBeCloseTo(out.confusion[0][0] / 2, 12);
    expect(out.located.locator + out.located.centre).toBe(6);
    expect(out).toHaveProperty('qwk');
  }, 300_000);

  it('bad input is named: missing class folder, unreadable image, a model of the wrong kind, an unknown model', async () => {
    const missing = bmpSubset('missing', 1);
    fs.rmSync(path.join(missing, '2'), { recursive: true });
    let r = await pulmo('eval', 'classification', '--truth', missing, '--model', 'pulmo-cancer-type');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(missing, '2')}: missing class folder`);

    const broken = bmpSubset('broken', 1);
    const bad = path.join(broken, '1', 'zz_broken.bmp');
    fs.writeFileSync(bad, 'BM not really a bitmap');
    r = await pulmo('eval', 'classification', '--truth', broken, '--model', 'pulmo-cancer-type');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: not an 8-bit grey BMP`);

    r = await pulmo('eval', 'classification', '--truth', broken, '--model', 'pulmo-malignancy');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/pulmo-malignancy is a malignancy model; a BMP_classification folder needs a cancer-type/);

    r = await pulmo('eval', 'classification', '--truth', broken, '--model', 'no-such-model');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no model "no-such-model" is installed \(installed: pulmo-cancer-type, pulmo-malignancy\)/);
  }, 300_000);
});
