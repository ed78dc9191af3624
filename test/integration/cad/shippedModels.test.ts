// The models shipped in resources/models: manifests parse, checksums and ONNX signatures validate with the same
// code `pulmo models add` uses, each records patient-grouped CV with intervals, the model card repeats the
// manifest's figures, and each stays small. The manifest additions (malignancy task, 8-bit quantisation) are
// rejected with the field named when wrong.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManifestError, normalizer, parseManifest, readManifest } from '../../../src-main/cad/manifest';
import { validateModelDir } from '../../../src-main/cad/registry';
import { repoRoot } from '../../fixtures/dicom/paths';

const dir = (id: string) => path.join(repoRoot, 'resources', 'models', id);

describe('shipped models', () => {
  it.each(['pulmo-malignancy', 'pulmo-cancer-type'])('%s validates (manifest, SHA-256, ONNX inputs/outputs), is < 5 MB, and its card carries the CV figures', async (id) => {
    const m = await validateModelDir(dir(id));
    expect(m.id).toBe(id);
    expect(fs.statSync(path.join(dir(id), m.file)).size).toBeLessThan(5 * 1024 * 1024);
    expect(m.intendedUse).toMatch(/^Research use only/);
    const t = m.training!;
    expect(t.validation).toMatch(/grouped by patient/);
    const card = fs.readFileSync(path.join(dir(id), 'MODEL_CARD.md'), 'utf8');
    for (const [name, v] of Object.entries(t.cv)) {
      expect(v.ci95[0]).toBeLessThanOrEqual(v.ci95[1]);
      expect(card).toContain(`| ${name} | ${v.mean.toFixed(3)} (95 % CI ${v.ci95[0].toFixed(3)} to ${v.ci95[1].toFixed(3)}) |`);
    }
    // The verdict the UI acts on follows from the intervals.
    if (m.task === 'malignancy') expect(t.betterThanChance).toBe(t.cv.auc.ci95[0] > 0.5);
    else expect(t.betterThanChance).toBe(t.cv.accMinusMajority.ci95[0] > 0 && t.cv.qwk.ci95[0] > 0);
    if (!t.betterThanChance) expect(t.notice).toMatch(/no better than chance/);
  });

  it('malignancy manifests need the two classes in order and a threshold; quantizeLevels rounds to grey levels', () => {
    const base = readManifest(dir('pulmo-malignancy')) as unknown as Record<string, unknown>;
    expect(() => parseManifest({ ...base, classes: ['malignant', 'benign'] })).toThrow(ManifestError);
    expect(() => parseManifest({ ...base, classes: ['malignant', 'benign'] })).toThrow(/"classes\.0"/);
    const { threshold: _t, ...noThreshold } = base;
    expect(() => parseManifest(noThreshold)).toThrow(/"threshold"/);
    const ct = readManifest(dir('pulmo-cancer-type'));
    const f = normalizer(ct);
    // An LDFC BMP grey level v stands for HU v/255*1800-1200; the normaliser gives back exactly v/255.
    for (const v of [0, 1, 77, 128, 254, 255]) expect(f((v / 255) * 1800 - 1200)).toBe(v / 255);
    expect(f(-1200 + 1800 / 255 / 2 - 1e-9)).toBe(0); // just below half a step rounds down
    expect(f(-1200 + 1800 / 255 / 2 + 1e-9)).toBe(1 / 255);
    expect(() => parseManifest({ ...(ct as unknown as Record<string, unknown>), input: { ...ct.input, quantizeLevels: 1 } })).toThrow(/"input\.quantizeLevels"/);
  });
});
