// The fast import paths against plain per-voxel arithmetic: the 16-bit integral conversion (JS and WebAssembly
// SIMD, in place and not), its second pass for padding and clamping, and the streamed volume + cache writer
// against the in-memory build of the same series.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { storedToHu } from '../../../src-main/dicom/storedToHu';
import { Simd16 } from '../../../src-main/dicom/simd16';
import { NO_DATA_HU } from '../../../src-main/dicom/checkGeometry';
import { readHeader } from '../../../src-main/dicom/readHeader';
import { groupSeries } from '../../../src-main/dicom/groupSeries';
import { planVolume } from '../../../src-main/dicom/planVolume';
import { buildVolume, streamVolume } from '../../../src-main/dicom/buildVolume';
import { VolumeCacheWriter } from '../../../src-main/store/volumeCache';
import { buildAndCache } from '../../../src-main/services/import/tasks';
import type { DicomHeader, PixelInfo, VolumePlan } from '../../../src-main/dicom/types';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';
import { pixelInfo } from '../../fixtures/dicom/pixelInfo';
import { mulberry32 } from '../../fixtures/prng';

const px = pixelInfo;

/** PS3.3 C.7.6.3.1 and C.11.1.1.2 written out voxel by voxel, the slow way. */
function reference(words: Uint16Array, p: PixelInfo, intercept: number): { hu: number[]; min: number; max: number } {
  const hu = [...words].map((w) => {
    const u = w & (2 ** p.bitsStored - 1);
    const v = p.pixelRepresentation === 1 && u >= 2 ** (p.bitsStored - 1) ? u - 2 ** p.bitsStored : u;
    const lo = Math.min(p.paddingValue ?? 1, p.paddingRangeLimit ?? p.paddingValue ?? 1);
    const hi = Math.max(p.paddingValue ?? 0, p.paddingRangeLimit ?? p.paddingValue ?? 0);
    if (p.paddingValue !== null && v >= lo && v <= hi) return NO_DATA_HU;
    return Math.max(-32768, Math.min(32767, v + intercept));
  });
  return { hu, min: Math.min(...hu), max: Math.max(...hu) };
}


const cases: { name: string; pixel: Partial<PixelInfo>; intercept: number; lo: number; hi: number; padAt?: number }[] = [
  { name: 'unsigned 16, intercept -1024', pixel: { pixelRepresentation: 0 }, intercept: -1024, lo: 0, hi: 4095 },
  { name: 'signed 16, intercept 0', pixel: {}, intercept: 0, lo: -2048, hi: 3000 },
  { name: 'signed 16, intercept -1024', pixel: {}, intercept: -1024, lo: -1000, hi: 3000 },
  { name: 'unsigned 12 with garbage above bit 11', pixel: { pixelRepresentation: 0, bitsStored: 12, highBit: 11 }, intercept: -1024, lo: 0, hi: 0xffff },
  { name: 'signed 12 with garbage above bit 11', pixel: { bitsStored: 12, highBit: 11 }, intercept: 7, lo: 0, hi: 0xffff },
  { name: 'unsigned 16 that clamps at +32767', pixel: { pixelRepresentation: 0 }, intercept: 1000, lo: 30000, hi: 65535 },
  { name: 'signed 16 that clamps at -32768', pixel: {}, intercept: -1024, lo: -32768, hi: 100 },
  { name: 'padding value present', pixel: { paddingValue: -2000 }, intercept: -1024, lo: -1000, hi: 2000, padAt: -2000 },
  { name: 'padding range present', pixel: { pixelRepresentation: 0, paddingValue: 0, paddingRangeLimit: 10 }, intercept: -1024, lo: 0, hi: 3000, padAt: 5 },
  { name: 'padding declared but absent', pixel: { paddingValue: -3000 }, intercept: -1024, lo: -1000, hi: 2000 },
];

describe('16-bit integral conversion', () => {
  const simd = Simd16.create(cases.length, 1006);

  it('has WebAssembly SIMD on this Node (so the SIMD path is what these tests exercise)', () => {
    expect(simd).not.toBeNull();
  });

  for (const c of cases) {
    it(`${c.name}: JS, JS in place and SIMD in place all match the per-voxel formula`, () => {
      const rand = mulberry32(c.name.length * 7919 + c.intercept);
      const n = 1003; // not a multiple of 8: the SIMD pass has a scalar tail
      const pixel = px({ ...c.pixel, columns: n });
      const pattern = (v: number): number => (pixel.pixelRepresentation === 1 ? v & 0xffff : v);
      const words = Uint16Array.from({ length: n }, () => pattern(c.lo + Math.floor(rand() * (c.hi - c.lo + 1))));
      if (c.padAt !== undefined) for (let i = 0; i < n; i += 17) words[i] = c.padAt & 0xffff;
      const want = reference(words, pixel, c.intercept);
      const typed = (buf: ArrayBufferLike, at: number): Uint16Array | Int16Array =>
        pixel.pixelRepresentation === 1 ? new Int16Array(buf, at, n) : new Uint16Array(buf, at, n);

      const out = new Int16Array(n + 5);
      const r1 = storedToHu(Uint16Array.from(words), pixel, 1, c.intercept, out, 5);
      expect([...out.subarray(5)]).toEqual(want.hu);
      expect(r1).toEqual({ min: want.min, max: want.max });

      const own = new Int16Array(n + 3);
      new Uint16Array(own.buffer, 6, n).set(words);
      const r2 = storedToHu(typed(own.buffer, 6), pixel, 1, c.intercept, own, 3);
      expect([...own.subarray(3)]).toEqual(want.hu);
      expect(r2).toEqual({ min: want.min, max: want.max });

      const slab = simd!.alloc(n + 3);
      new Uint16Array(slab.buffer, slab.byteOffset + 6, n).set(words);
      const r3 = storedToHu(typed(slab.buffer, slab.byteOffset + 6), pixel, 1, c.intercept, slab, 3, 0, simd!);
      expect([...slab.subarray(3)]).toEqual(want.hu);
      expect(r3).toEqual({ min: want.min, max: want.max });
    });
  }
});

describe('streamed volume and cache writer', () => {
  const dir = tempDir('stream');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  function planOf(files: string[]): VolumePlan {
    const headers = files.map((f): DicomHeader => {
      const r = readHeader(f);
      if (r.kind !== 'header') throw new Error(r.kind === 'error' ? r.reason : r.kind);
      return r.header;
    });
    return planVolume(groupSeries(headers).groups[0]).plan!;
  }

  it('writes, slab by slab, the bytes buildVolume computes (missing slice, padding, several slabs)', async () => {
    const series = writeCtSeries({
      dir: path.join(dir, 'src'),
      rows: 9,
      columns: 7, // odd plane: slices start at odd voxel offsets inside a slab
      slices: 11,
      pixelSpacing: [0.7, 0.7],
      sliceStep: 1.25,
      origin: [0, 0, 0],
      pixelRepresentation: 0,
      intercept: -1024,
      paddingValue: 0,
      stored: (i, j, k) => (i === 0 ? 0 : 900 + i * 13 + j * 7 + k),
      skip: [4],
    });
    const plan = planOf(series.files);
    expect(plan.slices.filter((s) => s === null)).toHaveLength(1);
    const whole = await buildVolume(plan);
    const written = new Int16Array(whole.volume.voxels.length);
    const got = await streamVolume(
      plan,
      async (slab, byteOffset) => {
        await new Promise((r) => setTimeout(r, 1)); // writes finish later than the next fill starts
        written.set(slab, byteOffset / 2);
      },
      { slabSlices: 3 },
    );
    expect([...written]).toEqual([...whole.volume.voxels]);
    expect(got).toEqual({ minHU: whole.minHU, maxHU: whole.maxHU, bytesRead: whole.bytesRead });
    expect(whole.minHU).toBe(NO_DATA_HU); // padding column and the missing slice

    const volumesDir = path.join(dir, 'volumes');
    const built = await buildAndCache({ plan, volumesDir, volumeId: 'v1' });
    expect(built).toMatchObject({ ok: true, cachePath: 'v1.raw', byteLength: whole.volume.voxels.byteLength, minHU: whole.minHU, maxHU: whole.maxHU });
    const onDisk = fs.readFileSync(path.join(volumesDir, 'v1.raw'));
    expect(onDisk.equals(Buffer.from(whole.volume.voxels.buffer))).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(volumesDir, 'v1.json'), 'utf8')).geometry).toEqual(plan.geometry);
    expect(fs.readdirSync(volumesDir).sort()).toEqual(['v1.json', 'v1.raw']);
  });

  it('writes page-aligned slabs through O_DIRECT where the file system takes it, others through the page cache', async () => {
    const volumesDir = path.join(dir, 'direct');
    const geometry = { dims: [64, 64, 3] as [number, number, number], spacing: [1, 1, 1] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as VolumePlan['geometry']['direction'] };
    const plane = 64 * 64;
    const simd = Simd16.create(2, 2 * plane)!;
    const first = simd.alloc(2 * plane); // slices 0-1: page-aligned memory, offset and length
    first.forEach((_, i) => (first[i] = i - 5000));
    const last = new Int16Array(plane).map((_, i) => -i); // slice 2: ordinary memory
    const w = VolumeCacheWriter.open(volumesDir, 'v4', geometry);
    await Promise.all([w.write(first, 0, true), w.write(last, 4 * plane, false)]);
    expect(w.directBytes).toBe(w.direct ? 4 * plane : 0);
    expect(await w.commit()).toBe('v4.raw');
    const onDisk = new Int16Array(new Uint8Array(fs.readFileSync(path.join(volumesDir, 'v4.raw'))).buffer);
    expect([...onDisk.subarray(0, 2 * plane)]).toEqual([...first]);
    expect([...onDisk.subarray(2 * plane)]).toEqual([...last]);
    expect(fs.readdirSync(volumesDir).sort()).toEqual(['v4.json', 'v4.raw']);
  });

  it('refuses to commit a short file and leaves nothing after abort', async () => {
    const volumesDir = path.join(dir, 'short');
    const geometry = { dims: [2, 2, 2] as [number, number, number], spacing: [1, 1, 1] as [number, number, number], origin: [0, 0, 0] as [number, number, number], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as VolumePlan['geometry']['direction'] };
    const w = VolumeCacheWriter.open(volumesDir, 'v2', geometry);
    await w.write(new Int16Array(4), 0);
    await expect(w.commit()).rejects.toThrow(/8 of 16 bytes/);
    w.abort();
    expect(fs.readdirSync(volumesDir)).toEqual([]);
  });

  it('reports an unreadable slice by name and leaves no cache file', async () => {
    const series = writeCtSeries({ dir: path.join(dir, 'trunc'), rows: 8, columns: 8, slices: 5, pixelSpacing: [1, 1], sliceStep: 1, origin: [0, 0, 0] });
    const plan = planOf(series.files);
    const victim = series.files[2];
    fs.truncateSync(victim, fs.statSync(victim).size - 10);
    const volumesDir = path.join(dir, 'trunc-volumes');
    const r = await buildAndCache({ plan, volumesDir, volumeId: 'v3' });
    expect(r).toMatchObject({ ok: false, file: victim });
    expect(fs.readdirSync(volumesDir)).toEqual([]);
  });
});
