// Model registry against real onnxruntime-node sessions: accepted models, and every rejection names the field.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src-main/cad/registry';
import { chooseProvider, probeProvider } from '../../../src-main/cad/providers';
import { classifierBytes, classifierManifest, detectorBytes, detectorManifest, writeModelDir } from '../../fixtures/models/buildModels';

let tmp: string;
let reg: ModelRegistry;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-registry-'));
  reg = new ModelRegistry(path.join(tmp, 'builtin'), path.join(tmp, 'user'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('ModelRegistry.add', () => {
  it('installs valid detection and classification models and lists them', async () => {
    const d = detectorBytes();
    const c = classifierBytes();
    await reg.add(writeModelDir(tmp, 'src-det', d, detectorManifest(d)));
    const added = await reg.add(writeModelDir(tmp, 'src-cls', c, classifierManifest(c)));
    expect(added.dir).toBe(path.join(tmp, 'user', 'test-mean-classifier'));
    expect(fs.readFileSync(added.modelPath)).toEqual(Buffer.from(c));
    const listed = reg.list();
    expect(listed.models.map((m) => `${m.manifest.id}@${m.manifest.version}:${m.manifest.task}`).sort()).toEqual([
      'test-heatmap@1.2.0:detection',
      'test-mean-classifier@0.3.1:classification',
    ]);
    expect(listed.rejected).toEqual([]);
  });

  const bad: [string, () => [Uint8Array, Record<string, unknown>], RegExp][] = [
    ['missing field', () => { const b = detectorBytes(); const m = detectorManifest(b); delete m.license; return [b, m]; }, /"license"/],
    ['bad task', () => { const b = detectorBytes(); return [b, detectorManifest(b, { task: 'triage' })]; }, /"task"/],
    ['bad window', () => { const b = detectorBytes(); const m = detectorManifest(b); (m.input as Record<string, unknown>).windowHU = [600, -1200]; return [b, m]; }, /"input.windowHU" window max must exceed min/],
    ['wrong classes', () => { const b = classifierBytes(); return [b, classifierManifest(b, { classes: ['benign', 'AC', 'AC'] })]; }, /"classes"/],
    ['checksum', () => { const b = detectorBytes(); return [b, detectorManifest(b, { sha256: 'a'.repeat(64) })]; }, /"sha256" is a{64} but model.onnx hashes to [0-9a-f]{64}/],
    ['input name', () => { const b = detectorBytes({ inputName: 'image' }); return [b, detectorManifest(b)]; }, /"input.name" is "ct" but the model's inputs are "image"/],
    ['input size', () => { const b = detectorBytes({ patch: 32 }); return [b, detectorManifest(b)]; }, /"input.size" is 24x24x24 but the model's input is 32x32x32/],
    ['layout rank', () => { const b = classifierBytes(); const m = classifierManifest(b); m.input = { ...(m.input as object), layout: 'NCHW', size: [4, 4] }; return [b, m]; }, /"input.layout" is NCHW \(rank 4\) but the model's input has rank 5/],
    ['output name', () => { const b = classifierBytes(); const m = classifierManifest(b); m.output = { name: 'probs', decoding: 'classes' }; return [b, m]; }, /"output.name" is "probs" but the model's outputs are "logits"/],
    ['not onnx', () => { const b = new TextEncoder().encode('not a model'); return [b, detectorManifest(b)]; }, /is not a model onnxruntime can load/],
  ];
  for (const [name, make, why] of bad) {
    it(`rejects a model folder: ${name}`, async () => {
      const [bytes, manifest] = make();
      const dir = writeModelDir(tmp, `bad-${name.replace(/\W/g, '_')}`, bytes, manifest);
      await expect(reg.add(dir)).rejects.toThrow(why);
    });
  }

  it('lists a broken installed folder as rejected with its reason, keeping the good ones', () => {
    fs.mkdirSync(path.join(tmp, 'user', 'broken'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'user', 'broken', 'manifest.json'), '{ nope');
    const l = reg.list();
    expect(l.models.length).toBe(2);
    expect(l.rejected).toEqual([{ dir: path.join(tmp, 'user', 'broken'), reason: expect.stringMatching(/manifest.json: is not valid JSON/) }]);
  });
});

describe('execution providers', () => {
  it('falls back to the CPU when a requested GPU provider cannot load, and says why', async () => {
    for (const requested of ['cuda', 'webgpu']) {
      const probe = await probeProvider(requested);
      const choice = await chooseProvider(requested);
      if (probe.ok) {
        expect(choice.provider).toBe(requested); // a machine with that GPU stack
      } else {
        expect(choice.provider).toBe('cpu');
        expect(choice.skipped).toEqual([{ name: requested, reason: probe.reason }]);
        expect(probe.reason).toMatch(requested === 'webgpu' ? /adapter/i : /shared library|not bundled/i);
      }
    }
    const unknown = await chooseProvider('nosuchgpu');
    expect(unknown).toEqual({ provider: 'cpu', skipped: [{ name: 'nosuchgpu', reason: expect.stringMatching(/not available in onnxruntime-node/) }] });
  });
});
