// NRRD (single file: text header + raw little-endian data) writer for an int16 HU volume, in LPS:
// space directions are the i, j, k axes scaled by their spacing (mm), space origin the centre of voxel 0.
import fs from 'node:fs';
import type { HuVolume } from '../shared/geometry';
import { littleEndianBytes } from './mhd';

const n = (v: number): string => String(Number(v.toPrecision(12)));

export function nrrdHeader(vol: HuVolume): string {
  const g = vol.geometry;
  const dirs = [0, 1, 2].map((a) => `(${[0, 1, 2].map((c) => n(g.direction[a * 3 + c] * g.spacing[a])).join(',')})`);
  return [
    'NRRD0004',
    '# Written by Pulmo: CT in Hounsfield units',
    'type: int16',
    'dimension: 3',
    'space: left-posterior-superior',
    `sizes: ${g.dims.join(' ')}`,
    `space directions: ${dirs.join(' ')}`,
    'kinds: domain domain domain',
    'endian: little',
    'encoding: raw',
    `space origin: (${g.origin.map(n).join(',')})`,
    '',
    '',
  ].join('\n');
}

export function writeNrrd(file: string, vol: HuVolume): void {
  fs.writeFileSync(file, Buffer.concat([Buffer.from(nrrdHeader(vol), 'latin1'), littleEndianBytes(vol.voxels)]));
}
