// HTJ2K (.4.201-.203) decodes through OpenJPEG. No DICOM tool here writes HTJ2K, so OpenJPH's ojph_compress
// (Debian package openjph-tools) encodes values derived from a real slice into a raw codestream, which is
// exactly what a DICOM HTJ2K frame holds. Signed HTJ2K is refused (see decodeFrame.ts), and tested as such.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame, UnsupportedTransferSyntaxError, type FrameInfo } from '../../../src-main/dicom/codecs/decodeFrame';
import { firstDifference } from '../../fixtures/codecs/compare';
import { readImage } from '../../fixtures/codecs/dicomFile';
import { lidcSlices } from '../../fixtures/codecs/paths';
import { hasTool, runTool } from '../../fixtures/codecs/tools';

const HAS_OJPH = hasTool('ojph_compress');
let dir = '';
let stored: Int16Array;
let info: FrameInfo;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-codecs-htj2k-'));
  const img = readImage(lidcSlices(1)[0]);
  stored = img.native as Int16Array;
  info = img.info;
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Encodes 16-bit samples with ojph_compress (raw input is little-endian 16-bit per sample). */
function encode(samples: Int16Array | Uint16Array, signed: boolean, bitDepth: number, extra: string[]): Uint8Array {
  const raw = path.join(dir, `in-${signed}-${bitDepth}.yuv`);
  const out = path.join(dir, `out-${signed}-${bitDepth}-${extra.join('')}.j2c`);
  fs.writeFileSync(raw, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  runTool('ojph_compress', ['-i', raw, '-o', out, '-dims', `{${info.columns},${info.rows}}`, '-num_comps', '1',
    '-signed', String(signed), '-bit_depth', String(bitDepth), '-downsamp', '{1,1}', ...extra]);
  return new Uint8Array(fs.readFileSync(out));
}

describe('HTJ2K', () => {
  if (!HAS_OJPH) {
    it.skip('ojph_compress is missing: install Debian package openjph-tools to run the HTJ2K decode tests', () => {});
    return;
  }
  it('lossless unsigned 16-bit decodes identically', async () => {
    const u16 = Uint16Array.from(stored, (v) => Math.max(0, v + 2048));
    const j2c = encode(u16, false, 16, ['-reversible', 'true']);
    const decoded = await decodeFrame('1.2.840.10008.1.2.4.201', j2c, { ...info, pixelRepresentation: 0 });
    expect(decoded).toBeInstanceOf(Uint16Array);
    expect(firstDifference(decoded, u16)).toBe(-1);
  });

  it('signed HTJ2K is refused with UnsupportedTransferSyntaxError (OpenJPEG and OpenJPH disagree on it)', async () => {
    const j2c = encode(stored, true, 16, ['-reversible', 'true']);
    const err = await decodeFrame('1.2.840.10008.1.2.4.201', j2c, info).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedTransferSyntaxError);
    expect((err as Error).message).toMatch(/1\.2\.840\.10008\.1\.2\.4\.201 .*signed/);
  });

  it('lossless unsigned 12-bit in RPCL order (.4.202) decodes identically', async () => {
    const u12 = Uint16Array.from(stored, (v) => Math.min(4095, Math.max(0, v + 1024)));
    const j2c = encode(u12, false, 12, ['-reversible', 'true', '-prog_order', 'RPCL']);
    const decoded = await decodeFrame('1.2.840.10008.1.2.4.202', j2c, { ...info, bitsStored: 12, pixelRepresentation: 0 });
    expect(decoded).toBeInstanceOf(Uint16Array);
    expect(firstDifference(decoded, u12)).toBe(-1);
  });

  it('lossy (.4.203) decodes close to the source', async () => {
    const u16 = Uint16Array.from(stored, (v) => Math.max(0, v + 2048));
    const j2c = encode(u16, false, 16, ['-qstep', '0.001']);
    const decoded = await decodeFrame('1.2.840.10008.1.2.4.203', j2c, { ...info, pixelRepresentation: 0 });
    let sum = 0;
    for (let i = 0; i < decoded.length; i++) sum += Math.abs(decoded[i] - u16[i]);
    const mean = sum / decoded.length;
    console.log(`HTJ2K lossy qstep 0.001: ${j2c.length} bytes, mean |error| ${mean.toFixed(2)} stored units`);
    expect(mean).toBeGreaterThan(0);
    expect(mean).toBeLessThan(20);
  });
});
