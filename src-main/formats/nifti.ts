// NIfTI-1 reader (.nii or .nii.gz) for the LIDC VOIs: dims, voxel spacing and the voxels (i fastest), with the
// scaling slope/intercept applied. Orientation is not interpreted (the VOIs' origin is 0; their world position is
// in nodules.csv). Errors name the file and the field.
import fs from 'node:fs';
import zlib from 'node:zlib';
import type { Vec3 } from '../shared/geometry';

export interface NiftiVolume {
  dims: Vec3;
  spacing: Vec3;
  data: Float64Array;
}

export function readNifti(file: string): NiftiVolume {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = zlib.gunzipSync(buf);
  } catch (err) {
    throw new Error(`${file}: cannot be read as NIfTI (${(err as Error).message})`);
  }
  if (buf.length < 348 || buf.readInt32LE(0) !== 348) throw new Error(`${file}: not a NIfTI-1 file (sizeof_hdr is not 348; big-endian files are not supported)`);
  const ndim = buf.readInt16LE(40);
  if (ndim < 1 || ndim > 4) throw new Error(`${file}: dim[0] = ${ndim}; a 3D volume is expected`);
  const dims: Vec3 = [buf.readInt16LE(42), ndim >= 2 ? buf.readInt16LE(44) : 1, ndim >= 3 ? buf.readInt16LE(46) : 1];
  if (ndim === 4 && buf.readInt16LE(48) > 1) throw new Error(`${file}: 4D volume (${buf.readInt16LE(48)} frames); a 3D volume is expected`);
  const spacing: Vec3 = [buf.readFloatLE(80), buf.readFloatLE(84), buf.readFloatLE(88)].map((v) => Math.abs(v) || 1) as Vec3;
  const datatype = buf.readInt16LE(70);
  const offset = Math.max(352, Math.floor(buf.readFloatLE(108)));
  const slope = buf.readFloatLE(112);
  const inter = buf.readFloatLE(116);
  const n = dims[0] * dims[1] * dims[2];
  const readers: Record<number, [number, (o: number) => number]> = {
    2: [1, (o) => buf.readUInt8(o)],
    4: [2, (o) => buf.readInt16LE(o)],
    8: [4, (o) => buf.readInt32LE(o)],
    16: [4, (o) => buf.readFloatLE(o)],
    64: [8, (o) => buf.readDoubleLE(o)],
    256: [1, (o) => buf.readInt8(o)],
    512: [2, (o) => buf.readUInt16LE(o)],
  };
  const r = readers[datatype];
  if (!r) throw new Error(`${file}: datatype ${datatype} is not supported (uint8, int8, int16, uint16, int32, float32, float64 are)`);
  if (offset + n * r[0] > buf.length) throw new Error(`${file}: truncated (${buf.length} bytes for ${dims.join('x')} voxels of ${r[0]} bytes from ${offset})`);
  const data = new Float64Array(n);
  const scale = slope !== 0 && Number.isFinite(slope) && !(slope === 1 && inter === 0);
  for (let i = 0; i < n; i++) {
    const v = r[1](offset + i * r[0]);
    data[i] = scale ? v * slope + inter : v;
  }
  return { dims, spacing, data };
}
