// MetaImage (.mhd header + .raw data) writer for an int16 HU volume. Geometry in LPS, as ITK reads it:
// Offset = origin, TransformMatrix = the i, j, k axis directions one after another (ITK writes
// GetDirection(axis)[component]), AnatomicalOrientation = RAI (ITK's name for the LPS patient frame).
import fs from 'node:fs';
import path from 'node:path';
import type { HuVolume } from '../shared/geometry';

const n = (v: number): string => String(Number(v.toPrecision(12)));

export function mhdHeader(vol: HuVolume, rawFileName: string): string {
  const g = vol.geometry;
  return [
    'ObjectType = Image',
    'NDims = 3',
    'BinaryData = True',
    'BinaryDataByteOrderMSB = False',
    'CompressedData = False',
    `TransformMatrix = ${g.direction.map(n).join(' ')}`,
    `Offset = ${g.origin.map(n).join(' ')}`,
    'CenterOfRotation = 0 0 0',
    'AnatomicalOrientation = RAI',
    `ElementSpacing = ${g.spacing.map(n).join(' ')}`,
    `DimSize = ${g.dims.join(' ')}`,
    'ElementType = MET_SHORT',
    `ElementDataFile = ${rawFileName}`,
    '',
  ].join('\n');
}

/** Writes FILE.mhd and FILE.raw beside it; returns both paths. */
export function writeMhd(file: string, vol: HuVolume): { header: string; data: string } {
  const raw = file.replace(/\.mhd$/i, '') + '.raw';
  fs.writeFileSync(raw, littleEndianBytes(vol.voxels));
  fs.writeFileSync(file, mhdHeader(vol, path.basename(raw)));
  return { header: file, data: raw };
}

export function littleEndianBytes(voxels: Int16Array): Uint8Array {
  const bytes = new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength);
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] === 1) return bytes;
  const swapped = new Uint8Array(bytes);
  for (let i = 0; i < swapped.length; i += 2) [swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]];
  return swapped;
}
