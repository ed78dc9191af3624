// The on-disk volume cache: <volumesDir>/<volumeId>.raw (int16 little-endian HU, i fastest) beside
// <volumeId>.json (geometry). Files are written to a temporary name, fsynced and renamed, so a crash never
// leaves a half volume under its final name; the index row is committed only after the rename.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { HuVolume, VolumeGeometry } from '../shared/geometry';
import { voxelCount } from '../shared/geometry';

export function cacheFileName(volumeId: string): string {
  return `${volumeId}.raw`;
}

function writeAtomic(file: string, data: Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, Math.min(data.length - off, 64 << 20));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Writes the volume; returns the cache path relative to volumesDir (what the volumes table stores). */
export function writeVolumeCache(volumesDir: string, volumeId: string, vol: HuVolume): string {
  if (vol.voxels.length !== voxelCount(vol.geometry)) {
    throw new Error(`Volume ${volumeId}: ${vol.voxels.length} voxels but geometry says ${vol.geometry.dims.join('x')}`);
  }
  fs.mkdirSync(volumesDir, { recursive: true });
  let bytes = new Uint8Array(vol.voxels.buffer, vol.voxels.byteOffset, vol.voxels.byteLength);
  if (os.endianness() === 'BE') {
    bytes = new Uint8Array(bytes); // the cache is little-endian on every machine
    for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  }
  const rel = cacheFileName(volumeId);
  writeAtomic(path.join(volumesDir, `${volumeId}.json`), Buffer.from(JSON.stringify({ geometry: vol.geometry }, null, 1)));
  writeAtomic(path.join(volumesDir, rel), bytes);
  return rel;
}

export function readVolumeCache(volumesDir: string, cachePath: string, geometry: VolumeGeometry): HuVolume {
  const file = path.resolve(volumesDir, cachePath);
  const buf = fs.readFileSync(file);
  const expected = voxelCount(geometry) * 2;
  if (buf.length !== expected) throw new Error(`Volume cache ${file} holds ${buf.length} bytes, expected ${expected}; re-import the series`);
  // Copy into an aligned buffer (Buffer pools may be unaligned for Int16Array).
  const voxels = new Int16Array(expected / 2);
  new Uint8Array(voxels.buffer).set(buf);
  return { voxels, geometry };
}
