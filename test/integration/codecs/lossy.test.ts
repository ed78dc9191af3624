// Lossy syntaxes cannot be compared for equality with the source, so each decode is checked twice: against a
// reference decoder (dcmtk's dcmdjpeg / GDCM's gdcmconv --raw on the same file; different IDCT/wavelet
// code may differ by rounding) and against the uncompressed source within the codec's own error bound.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, UnsupportedTransferSyntaxError } from '../../../src-main/dicom/codecs/decodeFrame';
import { readImage } from '../../fixtures/codecs/dicomFile';
import { lidcSlices } from '../../fixtures/codecs/paths';
import { hasTool, runTool } from '../../fixtures/codecs/tools';
import { writeVariant } from '../../fixtures/codecs/variants';

let dir = '';
let window8 = '';
let unsigned12 = '';
let slice = '';
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-codecs-lossy-'));
  const slices = lidcSlices(1);
  slice = slices[0];
  window8 = writeVariant('window8', slices, dir);
  unsigned12 = writeVariant('unsigned12', slices, dir);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Compresses `input` with `tool args`, decodes the result with decodeFrame, and decodes it again with the reference tool. */
async function compressAndDecode(input: string, tool: string, args: string[], reference: [string, string[]]) {
  const out = path.join(dir, `${path.basename(input, '.dcm')}-${tool}-${args.join('').replace(/\W+/g, '')}.dcm`);
  runTool(tool, [...args, input, out]);
  const compressed = readImage(out);
  const decoded = await decodeFrame(compressed.transferSyntaxUID, compressed.frames[0], compressed.info);
  const refFile = `${out}.ref.dcm`;
  runTool(reference[0], [...reference[1], out, refFile]);
  return { uid: compressed.transferSyntaxUID, decoded, reference: readImage(refFile).native!, source: readImage(input).native! };
}

function stats(a: ArrayLike<number>, b: ArrayLike<number>): { maxAbs: number; meanAbs: number } {
  expect(a.length).toBe(b.length);
  let maxAbs = 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    sum += d;
    if (d > maxAbs) maxAbs = d;
  }
  return { maxAbs, meanAbs: sum / a.length };
}

const DCMDJPEG: [string, string[]] = ['dcmdjpeg', []];
const GDCM_RAW: [string, string[]] = ['gdcmconv', ['--raw']];

describe('lossy JPEG (libjpeg-turbo)', () => {
  it.skipIf(!hasTool('dcmcjpeg'))('baseline 8-bit from dcmcjpeg +eb matches dcmdjpeg and the source', async () => {
    const r = await compressAndDecode(window8, 'dcmcjpeg', ['+eb', '+q', '90'], DCMDJPEG);
    expect(r.uid).toBe('1.2.840.10008.1.2.4.50');
    expect(r.decoded).toBeInstanceOf(Uint16Array);
    const vsRef = stats(r.decoded, r.reference);
    const vsSource = stats(r.decoded, r.source);
    console.log(`JPEG baseline q90: vs dcmdjpeg max ${vsRef.maxAbs}, vs source max ${vsSource.maxAbs} mean ${vsSource.meanAbs.toFixed(3)}`);
    expect(vsRef.maxAbs).toBeLessThanOrEqual(1);
    expect(vsSource.meanAbs).toBeLessThan(2);
    expect(vsSource.maxAbs).toBeGreaterThan(0); // it really was lossy, so the comparison above means something
  });

  it.skipIf(!hasTool('gdcmconv'))('baseline 8-bit from gdcmconv --jpeg --lossy matches gdcm and the source', async () => {
    const r = await compressAndDecode(window8, 'gdcmconv', ['--jpeg', '--lossy'], GDCM_RAW);
    expect(r.uid).toBe('1.2.840.10008.1.2.4.50');
    const vsRef = stats(r.decoded, r.reference);
    const vsSource = stats(r.decoded, r.source);
    console.log(`JPEG baseline (gdcm): vs gdcm max ${vsRef.maxAbs}, vs source max ${vsSource.maxAbs} mean ${vsSource.meanAbs.toFixed(3)}`);
    expect(vsRef.maxAbs).toBeLessThanOrEqual(1);
    expect(vsSource.meanAbs).toBeLessThan(2);
  });

  it.skipIf(!hasTool('dcmcjpeg'))('extended (process 2/4) with 8-bit samples decodes', async () => {
    const r = await compressAndDecode(window8, 'dcmcjpeg', ['+ee'], DCMDJPEG);
    expect(r.uid).toBe('1.2.840.10008.1.2.4.51');
    expect(stats(r.decoded, r.reference).maxAbs).toBeLessThanOrEqual(1);
  });

  it.skipIf(!hasTool('dcmcjpeg'))('extended 12-bit is refused with UnsupportedTransferSyntaxError naming the reason', async () => {
    const out = path.join(dir, 'ext12.dcm');
    runTool('dcmcjpeg', ['+ee', unsigned12, out]);
    const c = readImage(out);
    expect(c.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.51');
    const err = await decodeFrame(c.transferSyntaxUID, c.frames[0], c.info).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedTransferSyntaxError);
    expect((err as Error).message).toMatch(/1\.2\.840\.10008\.1\.2\.4\.51.*JPEG Extended.*12-bit/);
  });
});

describe('JPEG-LS near-lossless (CharLS)', () => {
  it.skipIf(!hasTool('dcmcjpls'))('NEAR=2 stays within 2 of every source value', async () => {
    // dcmcjpls refuses near-lossless for signed data, so the unsigned 12-bit variant is used.
    const r = await compressAndDecode(unsigned12, 'dcmcjpls', ['+en', '+md', '2'], ['dcmdjpls', []]);
    expect(r.uid).toBe('1.2.840.10008.1.2.4.81');
    const vsSource = stats(r.decoded, r.source);
    console.log(`JPEG-LS NEAR=2: vs source max ${vsSource.maxAbs} mean ${vsSource.meanAbs.toFixed(3)}`);
    expect(vsSource.maxAbs).toBeLessThanOrEqual(2);
    expect(vsSource.maxAbs).toBeGreaterThan(0);
    expect(stats(r.decoded, r.reference).maxAbs).toBe(0); // same algorithm, no rounding freedom
  });
});

describe('JPEG 2000 irreversible (OpenJPEG)', () => {
  it.skipIf(!hasTool('gdcmconv'))('decodes a signed 16-bit lossy J2K like GDCM does', async () => {
    const r = await compressAndDecode(slice, 'gdcmconv', ['--j2k', '--lossy', '--irreversible', '-r', '10'], GDCM_RAW);
    expect(r.uid).toBe('1.2.840.10008.1.2.4.91');
    expect(r.decoded).toBeInstanceOf(Int16Array);
    const vsRef = stats(r.decoded, r.reference);
    const vsSource = stats(r.decoded, r.source);
    console.log(`J2K lossy rate 10: vs gdcm max ${vsRef.maxAbs}, vs source max ${vsSource.maxAbs} mean ${vsSource.meanAbs.toFixed(3)}`);
    expect(vsRef.maxAbs).toBeLessThanOrEqual(1);
    expect(vsSource.meanAbs).toBeLessThan(10);
  });
});
