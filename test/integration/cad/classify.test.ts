// Classification crops per manifest (3D patch or axial 2D crop), runs a real ONNX model, maps classes by label.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { classifyAt } from '../../../src-main/cad/classify';
import { parseManifest, type ClassificationManifest } from '../../../src-main/cad/manifest';
import type { VolumeGeometry } from '../../../src-main/shared/geometry';
import { classifierBytes, classifierManifest, expectedProbs } from '../../fixtures/models/buildModels';
import { phantom, type Sphere } from '../../fixtures/models/seedVolume';

const geometry: VolumeGeometry = { dims: [40, 40, 20], spacing: [0.7, 0.7, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, -1, 0, 0, 0, 1] };
const sphere: Sphere = { centerLPS: [14, -14, 20], radiusMm: 5, hu: -300 };
const vol = phantom(geometry, [sphere]);
const norm = (hu: number) => (hu + 1200) / 1800;

describe('classifyAt', () => {
  for (const twoD of [false, true]) {
    it(`${twoD ? '2D axial (NCHW)' : '3D (NCDHW)'} crops: probabilities follow the mean HU at each centre`, async () => {
      const bytes = classifierBytes({ twoD });
      const over = twoD ? { input: { name: 'patch', layout: 'NCHW', size: [4, 4], spacingMm: [1, 1, 1], windowHU: [-1200, 600], normalizeTo: [0, 1] } } : {};
      const m = parseManifest(classifierManifest(bytes, over)) as ClassificationManifest;
      const s = await ort.InferenceSession.create(bytes);
      // Inside the nodule, and in the lung well away from it.
      const probs = await classifyAt(vol, [sphere.centerLPS, [4, -20, 8]], m, s);
      for (const [p, hu] of [[probs[0], sphere.hu], [probs[1], -850]] as const) {
        const e = expectedProbs(norm(hu));
        expect(p.benign).toBeCloseTo(e.benign, 5);
        expect(p.AC).toBeCloseTo(e.AC, 5);
        expect(p.SCC).toBeCloseTo(e.SCC, 5);
        expect(p.benign + p.AC + p.SCC).toBeCloseTo(1, 6);
      }
      await s.release();
    });
  }

  it('rejects an output that is not probabilities when the manifest says activation none', async () => {
    const bytes = classifierBytes();
    const m = parseManifest(classifierManifest(bytes, { output: { name: 'logits', decoding: 'classes', activation: 'none' } })) as ClassificationManifest;
    const s = await ort.InferenceSession.create(bytes);
    await expect(classifyAt(vol, [[4, -20, 8]], m, s)).rejects.toThrow(/non-probability .* check output.activation/);
    await s.release();
  });
});
