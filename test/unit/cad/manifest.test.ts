// Manifest parsing: defaults, normalisation, and errors that name the field.
import { describe, expect, it } from 'vitest';
import { ManifestError, normalizer, parseManifest } from '../../../src-main/cad/manifest';
import { classifierManifest, detectorManifest } from '../../fixtures/models/buildModels';

const bytes = new Uint8Array([1, 2, 3]);

describe('manifest', () => {
  it('fills defaults and maps the HU window linearly onto normalizeTo', () => {
    const m = parseManifest({ ...detectorManifest(bytes), sliding: undefined, input: { name: 'ct', layout: 'NCDHW', size: [8, 8, 8], spacingMm: null, windowHU: [-1000, 400], normalizeTo: [-1, 1] } });
    expect(m.task === 'detection' && m.sliding).toEqual({ overlap: 0.25, batch: 1 });
    expect(m.task === 'detection' && m.output.maxCandidates).toBe(100);
    const f = normalizer(m);
    expect(f(-3000)).toBe(-1);
    expect(f(-1000)).toBe(-1);
    expect(f(-300)).toBeCloseTo(0, 10);
    expect(f(400)).toBe(1);
    expect(f(2000)).toBe(1);
  });

  it('does not accept a segmentation model, which this engine would never run', () => {
    const seg = { ...detectorManifest(bytes), task: 'segmentation', output: { name: 'mask' }, sliding: undefined };
    expect(() => parseManifest(seg)).toThrow(ManifestError);
    expect(() => parseManifest(seg)).toThrow(/"task" must be "detection" or "classification" \(this version of Pulmo does not run "segmentation" models\)/);
  });

  it.each([
    [{ id: 'Bad Id' }, 'id'],
    [{ version: 'v1' }, 'version'],
    [{ file: '../model.onnx' }, 'file'],
    [{ sha256: 'ABC' }, 'sha256'],
    [{ input: { name: 'x', layout: 'NCHW', size: [8, 8, 8], spacingMm: null, windowHU: [-1200, 600] } }, 'input.size'],
    [{ input: { name: 'x', layout: 'NCDHW', size: [8, 8, 8], spacingMm: [1, 0, 1], windowHU: [-1200, 600] } }, 'input.spacingMm.1'],
    [{ extra: true }, 'extra'],
    [{ output: { name: 'l', decoding: 'classes', actvation: 'none' } }, 'output.actvation'],
  ] as [Record<string, unknown>, string][])('rejects %j naming "%s"', (over, field) => {
    let err: unknown;
    try {
      parseManifest({ ...classifierManifest(bytes), ...over }, 'x/manifest.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ManifestError);
    expect((err as ManifestError).field).toBe(field);
    expect((err as ManifestError).message).toMatch(/^x\/manifest.json: /);
  });
});
