// `pulmo eval` as a user runs it (the built CLI) on LDFC-style truth and predictions written in code, with answers
// small enough to derive by hand (derivations beside each case).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeMhd } from '../../../src-main/formats/mhd';
import { analyzeJson, classificationFolder, csv, vocXml, write } from '../../fixtures/ldfc/ldfcFixtures';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repo, 'bin', 'pulmo.js');
let tmp: string;

async function pulmo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cli, 'eval', ...args], { timeout: 60_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const json = async (...args: string[]) => {
  const r = await pulmo(...args, '--json');
  expect(r.stderr.replace(/^.*ignored.*$/m, '').trim(), r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const f = (...p: string[]) => path.join(tmp, ...p);

beforeAll(async () => {
  if (!fs.existsSync(path.join(repo, 'dist', 'main', 'cli.js'))) await run(process.execPath, [path.join(repo, 'scripts', 'build.mjs'), '--main-only'], { cwd: repo });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-eval-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pulmo eval classification', () => {
  it('perfect predictions: ACC 1, QWK 1, a diagonal confusion matrix', async () => {
    write(f('truth.csv'), csv(['image', 'label'], [['a', 0], ['b', 1], ['c', 2], ['d', 1]]));
    write(f('perfect.csv'), csv(['image', 'prediction'], [['d', 'AC'], ['c', 'SCC'], ['b', 1], ['a', 'benign']]));
    const r = await json('classification', '--truth', f('truth.csv'), '--pred', f('perfect.csv'));
    expect(r).toMatchObject({ classes: ['benign', 'AC', 'SCC'], samples: 4, accuracy: 1, qwk: 1, confusion: [[1, 0, 0], [0, 2, 0], [0, 0, 1]] });
  });

  it('a known confusion gives ACC 4/6 and QWK 2/7, from the BMP_classification folders and probability columns', async () => {
    // truth 0 0 1 1 2 2, predicted 0 1 1 1 2 0. O = [[1,1,0],[0,2,0],[1,0,1]]; rows 2 2 2, columns 2 3 1, n 6.
    // w_ij = (i-j)²/4. sum w·O = 0.25·1 + 1·1 = 1.25. E_ij = 2·col_j/6 = [2/3, 1, 1/3] per row:
    // sum w·E = (0.25 + 1/3) + (1/6 + 1/12) + (2/3 + 0.25) = 1.75. QWK = 1 - 1.25/1.75 = 2/7.
    const dir = classificationFolder(f('BMP_classification'), 'test', { '0': ['1', '2'], '1': ['3', '4'], '2': ['5', '6'] });
    const probs = (c: number) => [0, 1, 2].map((k) => (k === c ? 0.6 : 0.2));
    write(f('probs.csv'), csv(['image', 'benign', 'AC', 'SCC'], [[1, ...probs(0)], [2, ...probs(1)], [3, ...probs(1)], [4, ...probs(1)], [5, ...probs(2)], [6, ...probs(0)]]));
    const r = await json('classification', '--truth', dir, '--pred', f('probs.csv'));
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.qwk).toBeCloseTo(2 / 7, 12);
    expect(r.confusion).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
    const text = await pulmo('classification', '--truth', dir, '--pred', f('probs.csv'));
    expect(text.stdout).toContain('ACC 0.6667  QWK 0.2857');
    expect(text.stdout).toMatch(/benign\s+1\s+1\s+0/);
  });

  it('reads `pulmo analyze --json` outputs: the class of each scan\'s top-scoring finding', async () => {
    write(f('cls-truth.csv'), csv(['index', 'cancer_type'], [[1, 1], [2, 2]]));
    write(f('runs', '0001.json'), analyzeJson([{ centerLPS: [0, 0, 0], score: 0.4, classProbs: { benign: 0.7, AC: 0.2, SCC: 0.1 } }, { centerLPS: [5, 5, 5], score: 0.9, classProbs: { benign: 0.1, AC: 0.8, SCC: 0.1 } }]));
    write(f('runs', '0002.json'), analyzeJson([{ centerLPS: [0, 0, 0], score: 0.5, classProbs: { benign: 0.1, AC: 0.2, SCC: 0.7 } }]));
    const r = await json('classification', '--truth', f('cls-truth.csv'), '--pred', f('runs'));
    expect(r).toMatchObject({ samples: 2, accuracy: 1, qwk: 1 });
  });

  it('a missing prediction and a bad label fail naming the file', async () => {
    write(f('short.csv'), csv(['image', 'prediction'], [['a', 0]]));
    const r = await pulmo('classification', '--truth', f('truth.csv'), '--pred', f('short.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f('short.csv')}: no prediction for 3 of 4 truth ids (b, c, d)`);
    write(f('badlabel.csv'), csv(['image', 'label'], [['a', 0], ['b', 'tumour']]));
    const b = await pulmo('classification', '--truth', f('badlabel.csv'), '--pred', f('perfect.csv'));
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${f('badlabel.csv')}:3: unknown cancer type "tumour"`);
  });
});

describe('pulmo eval detection (2D, COCO)', () => {
  beforeAll(() => {
    write(f('Annotations', '1.xml'), vocXml('0001.bmp', [{ xmin: 10, ymin: 10, xmax: 30, ymax: 30 }, { xmin: 100, ymin: 100, xmax: 110, ymax: 110 }]));
    write(f('Annotations', '2.xml'), vocXml('0002.bmp', [{ xmin: 50, ymin: 60, xmax: 70, ymax: 90 }]));
  });

  it('perfect boxes: AP 1; AR1 2/3 since one image holds two nodules and AR1 keeps one detection per image', async () => {
    write(f('dets.json'), JSON.stringify([
      { image_id: 1, category_id: 1, bbox: [10, 10, 20, 20], score: 0.9 },
      { image_id: 1, category_id: 1, bbox: [100, 100, 10, 10], score: 0.8 },
      { image_id: 2, category_id: 1, bbox: [50, 60, 20, 30], score: 0.7 },
      { image_id: 99, category_id: 1, bbox: [0, 0, 5, 5], score: 0.99 },
    ]));
    const r = await json('detection', '--truth', f('Annotations'), '--pred', f('dets.json'));
    expect(r).toMatchObject({ task: 'detection-2d', images: 2, groundTruth: 3, detections: 3, ignoredDetections: 1, ap: 1, ap50: 1, ap75: 1, ar10: 1, ar100: 1 });
    expect(r.ar1).toBeCloseTo(2 / 3, 12);
  });

  it('an FP ranked first and a box at IoU 0.6: AP50 from the precision envelope, AP75 0', async () => {
    // Image 2's box is 20×30; a 20×18 box inside it has IoU 360/600 = 0.6: a TP at IoU 0.50-0.60 only.
    // Ranked: FP (0.95), TP img1 (0.9), TP img1 (0.8), img2 box (0.7). At IoU 0.5: precision 1/2, 2/3, 3/4 at
    // recall 1/3, 2/3, 1; envelope 3/4 everywhere → AP50 = 0.75. At IoU ≥ 0.65 recall tops at 2/3 with the
    // envelope at 2/3 → 67 of 101 recall points · 2/3. AP = (3·0.75 + 7·(67/101)(2/3)) / 10.
    write(f('dets.csv'), csv(['image', 'xmin', 'ymin', 'xmax', 'ymax', 'score'], [
      ['0001.bmp', 300, 300, 320, 320, 0.95], ['0001.bmp', 10, 10, 30, 30, 0.9], ['0001.bmp', 100, 100, 110, 110, 0.8], ['0002.bmp', 50, 60, 70, 78, 0.7],
    ]));
    const r = await json('detection', '--truth', f('Annotations'), '--pred', f('dets.csv'));
    expect(r.ap50).toBeCloseTo(0.75, 12);
    expect(r.ap75).toBeCloseTo((67 / 101) * (2 / 3), 12);
    expect(r.ap).toBeCloseTo((3 * 0.75 + 7 * (67 / 101) * (2 / 3)) / 10, 12);
  });

  it('prints AP/AR for small, medium and large boxes, n/a where a range has no truth box', async () => {
    const text = await pulmo('detection', '--truth', f('Annotations'), '--pred', f('dets.json'));
    expect(text.stdout).toContain('2 images (0 without truth boxes; from the truth files)');
    // Image 1: 20×20 (400 px², small) and 10×10; image 2: 20×30 = 600 px². All small, so medium/large are n/a.
    expect(text.stdout).toMatch(/AP_S 1\.0000\s+AP_M n\/a\s+AP_L n\/a/);
    expect(text.stdout).toContain('AR_S 1.0000');
  });

  it('issue 14 item 6: an --images list makes images without truth boxes count (CSV truth cannot list them)', async () => {
    write(f('boxes.csv'), csv(['image', 'xmin', 'ymin', 'xmax', 'ymax'], [['0001.bmp', 10, 10, 30, 30], ['0002.bmp', 10, 10, 30, 30]]));
    write(f('dets6.json'), JSON.stringify([
      { image_id: 3, bbox: [10, 10, 20, 20], score: 0.9 }, { image_id: 1, bbox: [10, 10, 20, 20], score: 0.8 }, { image_id: 2, bbox: [10, 10, 20, 20], score: 0.7 },
    ]));
    const without = await pulmo('detection', '--truth', f('boxes.csv'), '--pred', f('dets6.json'), '--json');
    expect(without.stderr).toContain('1 detection(s) on images outside the evaluated set were ignored');
    expect(JSON.parse(without.stdout).ap).toBe(1);
    write(f('images.txt'), 'image\n0001.bmp\n0002.bmp\n0003.bmp\n');
    const r = await json('detection', '--truth', f('boxes.csv'), '--pred', f('dets6.json'), '--images', f('images.txt'));
    // pycocotools with images 1, 2, 3 (3 without annotations): the top-scoring detection is a false positive.
    expect(r).toMatchObject({ imageSource: 'image list', images: 3, imagesWithoutTruth: 1, ignoredDetections: 0, ap: 0.6666666666666666, ap50: 0.6666666666666669 });
    fs.mkdirSync(f('JPEGImages'), { recursive: true });
    for (const n of ['0001', '0002', '0003']) fs.writeFileSync(f('JPEGImages', `${n}.bmp`), '');
    const fromFolder = await json('detection', '--truth', f('boxes.csv'), '--pred', f('dets6.json'), '--images', f('JPEGImages'));
    expect(fromFolder.ap).toBe(0.6666666666666666);
  });

  it('a malformed annotation file fails with its name and line', async () => {
    const bad = vocXml('0003.bmp', [{ xmin: 1, ymin: 1, xmax: 2, ymax: 2 }]).replace('<xmax>2</xmax>', '<xmax>2,5</xmax>');
    write(f('BadAnn', '3.xml'), bad);
    const r = await pulmo('detection', '--truth', f('BadAnn'), '--pred', f('dets.json'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${f('BadAnn', '3.xml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: <xmax> is not a number`));
    write(f('broken.json'), '[\n  {"image_id": 1,\n  "bbox": [1,2,3,4] "score": 1}\n]');
    const j = await pulmo('detection', '--truth', f('Annotations'), '--pred', f('broken.json'));
    expect(j.code).toBe(1);
    expect(j.stderr).toContain(`${f('broken.json')}:3: not valid JSON`);
  });
});

describe('pulmo eval detection (3D, FROC)', () => {
  it('world-coordinate truth and Pulmo analyze outputs: sensitivities and CPM of a two-scan case', async () => {
    write(f('anno_WorldCoord.csv'), csv(['index', 'coordX', 'coordY', 'coordZ', 'diameter', 'radius'], [[1, 10, 20, -100, 8, 4], [2, -30, 5, -200, 6, 3]]));
    // Scan 1: a hit (0.9) and an FP (0.8). Scan 2: a hit 2 mm off a 3 mm-radius nodule (0.7).
    // Curve: (0 FP/scan, 1/2), (0.5, 1/2), (0.5, 1). At 1/8 and 1/4 FP/scan 1/2, from 1/2 on 1. CPM = (2·0.5 + 5)/7.
    write(f('pred3d', '1.json'), analyzeJson([{ centerLPS: [10, 20, -100], score: 0.9 }, { centerLPS: [60, 20, -100], score: 0.8 }]));
    write(f('pred3d', '2.json'), analyzeJson([{ centerLPS: [-30, 7, -200], score: 0.7 }]));
    const r = await json('detection', '--truth', f('anno_WorldCoord.csv'), '--pred', f('pred3d'));
    expect(r).toMatchObject({ task: 'detection-3d', scans: 2, nodules: 2, candidates: 3, sensitivities: [0.5, 0.5, 1, 1, 1, 1, 1], maxSensitivity: 1 });
    expect(r.cpm).toBeCloseTo(6 / 7, 12);
    const text = await pulmo('detection', '--truth', f('anno_WorldCoord.csv'), '--pred', f('pred3d'));
    expect(text.stdout).toContain('CPM 0.8571');
    expect(r.truthFrame).toBe('world CSV as LPS');
  });

  it('image-coordinate truth (all_anno_3D.csv) is placed in LPS through the scan\'s MHD header', async () => {
    // 1.mhd: origin (10, 20, 30), spacing 0.5 × 0.5 × 2 mm, i axis pointing to −L. Voxel centre (x 4, y 6, z 3)
    // → LPS (10 − 4·0.5, 20 + 6·0.5, 30 + 3·2) = (8, 23, 36). Diameter 6 px × 0.5 mm → radius 1.5 mm.
    const g = { dims: [16, 16, 8] as [number, number, number], spacing: [0.5, 0.5, 2] as [number, number, number], origin: [10, 20, 30] as [number, number, number], direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] as [number, number, number, number, number, number, number, number, number] };
    fs.mkdirSync(f('MHD_3D'), { recursive: true });
    writeMhd(f('MHD_3D', '1.mhd'), { voxels: new Int16Array(16 * 16 * 8), geometry: g });
    write(f('all_anno_3D.csv'), csv(['index', 'image', 'x_min', 'x_max', 'y_min', 'y_max', 'z_min', 'z_max', 'diameter'], [['0001', 'x', 1, 7, 3, 9, 2, 4, 6]]));
    // Candidates: the true centre (hit), and the centre the identity direction would give, (12, 23, 36): 4 mm off.
    write(f('cand.csv'), csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'probability'], [[1, 12, 23, 36, 0.9], [1, 8, 23, 36, 0.5]]));
    const r = await json('detection', '--truth', f('all_anno_3D.csv'), '--pred', f('cand.csv'), '--volumes', f('MHD_3D'));
    // Ranked: FP (0.9) then hit (0.5): 1 FP/scan before the hit → sensitivity 0 below 1 FP/scan, 1 from 1 on.
    expect(r.sensitivities).toEqual([0, 0, 0, 1, 1, 1, 1]);
    const noVol = await pulmo('detection', '--truth', f('all_anno_3D.csv'), '--pred', f('cand.csv'));
    expect(noVol.code).toBe(1);
    expect(noVol.stderr).toContain('pass --volumes DIR');
  });

  it('issue 14 item 7: a --scans list divides FP by every scan and says how many were counted', async () => {
    write(f('ann7.csv'), csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'diameter_mm'], [[1, 0, 0, 0, 10], [2, 0, 0, 0, 10]]));
    write(f('cand7.csv'), csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'probability'], [[1, 50, 0, 0, 0.9], [1, 0, 0, 1, 0.8], [2, 60, 0, 0, 0.7], [2, 0, 1, 0, 0.6], [9, 0, 0, 0, 0.95]]));
    write(f('seriesuids.csv'), '1\n2\n3\n4\n');
    const seen = await json('detection', '--truth', f('ann7.csv'), '--pred', f('cand7.csv'));
    expect(seen).toMatchObject({ scanSource: 'truth and predictions', scans: 3 }); // scan 9 has only a candidate
    const r = await json('detection', '--truth', f('ann7.csv'), '--pred', f('cand7.csv'), '--scans', f('seriesuids.csv'));
    // LUNA16 script with seriesuids 1-4: 2 FPs over 4 scans.
    expect(r).toMatchObject({ scanSource: 'scan list', scans: 4, scansWithoutNodules: 2, scansWithoutCandidates: 2, ignoredCandidates: 1, sensitivities: [0, 0.5, 1, 1, 1, 1, 1], cpm: 0.7857142857142857 });
    const text = await pulmo('detection', '--truth', f('ann7.csv'), '--pred', f('cand7.csv'), '--scans', f('seriesuids.csv'));
    expect(text.stdout).toContain('4 scans counted (from the scan list; 2 without nodules, 2 without candidates)');
    expect(text.stderr).toContain('1 candidate(s) and 0 nodule(s) on scans outside the --scans list were ignored');
    const wrong = await pulmo('detection', '--truth', f('boxes.csv'), '--pred', f('dets6.json'), '--scans', f('seriesuids.csv'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('--scans applies to 3D nodule truth');
  });

  it('a truth CSV with a missing column names the file and the column', async () => {
    write(f('nodiam.csv'), csv(['seriesuid', 'coordX', 'coordY', 'coordZ'], [[1, 0, 0, 0]]));
    const r = await pulmo('detection', '--truth', f('nodiam.csv'), '--pred', f('cand.csv'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${f('nodiam.csv')}: no diameter`);
    const u = await pulmo('detection', '--truth', f('nodiam.csv'));
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('Usage: pulmo eval');
  });
});
