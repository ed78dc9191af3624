// MetaImage reader against Pulmo's own writer (formats/mhd.ts) and hand-written headers for the cases the writer
// does not produce: big-endian, other element types, LOCAL data, compression.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeMhd } from '../../../src-main/formats/mhd';
import { clipHu, readMhd, readMhdHeader } from '../../../src-main/formats/mhdReader';
import type { HuVolume, VolumeGeometry } from '../../../src-main/shared/geometry';
import { ijkToLps } from '../../../src-main/shared/geometry';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-mhd-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A 30° rotation about the patient's S axis with the slice axis flipped (feet-first): not the identity.
const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
const rotated: VolumeGeometry = { dims: [5, 4, 3], spacing: [0.7, 0.8, 2.5], origin: [-120.5, 33.25, -410], direction: [c, s, 0, -s, c, 0, 0, 0, -1] };

function volume(g: VolumeGeometry): HuVolume {
  const n = g.dims[0] * g.dims[1] * g.dims[2];
  // Distinct values across the int16 range so a transposed or byte-swapped read cannot match.
  const voxels = Int16Array.from({ length: n }, (_, i) => ((i * 7919) % 65536) - 32768);
  return { voxels, geometry: g };
}

function header(fields: Record<string, string>): string {
  return Object.entries(fields).map(([k, v]) => `${k} = ${v}`).join('\n') + '\n';
}

const base = { ObjectType: 'Image', NDims: '3', DimSize: '3 2 2', ElementSpacing: '1 1 1', Offset: '0 0 0', TransformMatrix: '1 0 0 0 1 0 0 0 1' };

describe('MetaImage reader', () => {
  it('round-trips the writer, with a non-identity direction', () => {
    const vol = volume(rotated);
    const { header: file } = writeMhd(path.join(tmp, 'rot.mhd'), vol);
    const back = readMhd(file);
    expect(back.elementType).toBe('MET_SHORT');
    expect(back.clamped).toBe(0);
    expect(Array.from(back.voxels)).toEqual(Array.from(vol.voxels));
    expect(back.geometry.dims).toEqual(rotated.dims);
    back.geometry.direction.forEach((v, i) => expect(v).toBeCloseTo(rotated.direction[i], 10));
    // The far corner lands where the written geometry puts it.
    const far: [number, number, number] = [4, 3, 2];
    ijkToLps(back.geometry, far).forEach((v, i) => expect(v).toBeCloseTo(ijkToLps(rotated, far)[i], 8));
    expect(readMhdHeader(file).geometry.spacing).toEqual(rotated.spacing);
  });

  it('reads big-endian MET_SHORT', () => {
    const vol = volume({ ...rotated, dims: [3, 2, 2] });
    const be = Buffer.alloc(vol.voxels.length * 2);
    vol.voxels.forEach((v, i) => be.writeInt16BE(v, i * 2));
    fs.writeFileSync(path.join(tmp, 'be.raw'), be);
    const file = path.join(tmp, 'be.mhd');
    fs.writeFileSync(file, header({ ...base, BinaryDataByteOrderMSB: 'True', ElementType: 'MET_SHORT', ElementDataFile: 'be.raw' }));
    expect(Array.from(readMhd(file).voxels)).toEqual(Array.from(vol.voxels));
  });

  it('reads MET_USHORT, MET_FLOAT (LOCAL data in a .mha), MET_UCHAR and zlib-compressed data, rounding and clamping to int16', () => {
    const us = Buffer.alloc(24);
    [0, 1, 1000, 32767, 40000, 65535, 2, 3, 4, 5, 6, 7].forEach((v, i) => us.writeUInt16LE(v, i * 2));
    fs.writeFileSync(path.join(tmp, 'us.raw'), us);
    fs.writeFileSync(path.join(tmp, 'us.mhd'), header({ ...base, ElementType: 'MET_USHORT', ElementDataFile: 'us.raw' }));
    const u = readMhd(path.join(tmp, 'us.mhd'));
    expect(Array.from(u.voxels)).toEqual([0, 1, 1000, 32767, 32767, 32767, 2, 3, 4, 5, 6, 7]);
    expect(u.clamped).toBe(2);

    const fl = Buffer.alloc(48);
    [-1000.4, -999.6, 0.5, 1.49, 40, -40000, 7, 8, 9, 10, 11, 12].forEach((v, i) => fl.writeFloatBE(v, i * 4));
    const mha = path.join(tmp, 'f.mha');
    fs.writeFileSync(mha, Buffer.concat([Buffer.from(header({ ...base, ElementType: 'MET_FLOAT', ElementByteOrderMSB: 'True', ElementDataFile: 'LOCAL' })), fl]));
    const f = readMhd(mha);
    // Math.round: -1000.4 → -1000, -999.6 → -1000, 0.5 → 1, 1.49 → 1; -40000 clamps.
    expect(Array.from(f.voxels)).toEqual([-1000, -1000, 1, 1, 40, -32768, 7, 8, 9, 10, 11, 12]);
    expect(f.dataFile).toBe(mha);

    const uc = Buffer.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    fs.writeFileSync(path.join(tmp, 'uc.zraw'), zlib.deflateSync(uc));
    fs.writeFileSync(path.join(tmp, 'uc.mhd'), header({ ...base, ElementType: 'MET_UCHAR', CompressedData: 'True', ElementDataFile: 'uc.zraw' }));
    expect(Array.from(readMhd(path.join(tmp, 'uc.mhd')).voxels)).toEqual(Array.from(uc));
  });

  it('names the file and the reason for bad input', () => {
    const put = (name: string, fields: Record<string, string>) => {
      fs.writeFileSync(path.join(tmp, name), header(fields));
      return path.join(tmp, name);
    };
    expect(() => readMhd(put('nodata.mhd', { ...base, ElementType: 'MET_SHORT', ElementDataFile: 'missing.raw' }))).toThrow(/nodata\.mhd: cannot read ElementDataFile .*missing\.raw/);
    fs.writeFileSync(path.join(tmp, 'short.raw'), Buffer.alloc(10));
    expect(() => readMhd(put('short.mhd', { ...base, ElementType: 'MET_SHORT', ElementDataFile: 'short.raw' }))).toThrow(/short\.raw: 10 bytes of voxel data, 24 needed/);
    expect(() => readMhd(put('rgb.mhd', { ...base, ElementType: 'MET_RGB', ElementDataFile: 'short.raw' }))).toThrow(/rgb\.mhd: ElementType "MET_RGB" not supported/);
    expect(() => readMhd(put('shear.mhd', { ...base, TransformMatrix: '1 0 0 0.5 1 0 0 0 1', ElementType: 'MET_SHORT', ElementDataFile: 'short.raw' }))).toThrow(/shear\.mhd: TransformMatrix is not orthonormal/);
    expect(() => readMhd(put('2d.mhd', { ...base, NDims: '2', ElementType: 'MET_SHORT', ElementDataFile: 'short.raw' }))).toThrow(/2d\.mhd: NDims = 2/);
  });

  it('clips HU to the descriptor range [-1200, 600] without touching the original', () => {
    const vol: HuVolume = { voxels: Int16Array.from([-3000, -1200, 0, 600, 3000]), geometry: { ...rotated, dims: [5, 1, 1] } };
    expect(Array.from(clipHu(vol).voxels)).toEqual([-1200, -1200, 0, 600, 600]);
    expect(vol.voxels[0]).toBe(-3000);
  });
});
