// Stored nodule masks: the mask's bounding box in volume voxel indices and the box's voxels as run lengths
// (alternating background/foreground runs, i fastest, starting with background), Uint32 little-endian.
import type { Db } from './db';
import type { Vec3 } from '../shared/geometry';

/** A binary mask cropped to a box of the volume grid: voxel (i,j,k) of the box is data[i + nx*(j + ny*k)]. */
export interface BoxMask {
  min: Vec3;
  dims: Vec3;
  data: Uint8Array;
}

export function encodeRuns(data: Uint8Array): Buffer {
  const runs: number[] = [];
  let cur = 0;
  let n = 0;
  for (let p = 0; p < data.length; p++) {
    const v = data[p] ? 1 : 0;
    if (v === cur) n++;
    else {
      runs.push(n);
      cur = v;
      n = 1;
    }
  }
  runs.push(n);
  return Buffer.from(new Uint32Array(runs).buffer);
}

export function decodeRuns(runs: Buffer, length: number): Uint8Array {
  const out = new Uint8Array(length);
  const r = new Uint32Array(runs.buffer.slice(runs.byteOffset, runs.byteOffset + runs.byteLength));
  let p = 0;
  for (let n = 0; n < r.length; n++) {
    if (n % 2 === 1) out.fill(1, p, p + r[n]);
    p += r[n];
  }
  if (p !== length) throw new Error(`Stored mask is corrupt: its runs cover ${p} voxels, its box ${length}`);
  return out;
}

export function insertMask(db: Db, id: string, volumeId: string, m: BoxMask, at: string): void {
  let count = 0;
  for (let p = 0; p < m.data.length; p++) count += m.data[p] ? 1 : 0;
  db.prepare('INSERT INTO finding_masks (id, volume_ref, box_json, runs, voxel_count, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    volumeId,
    JSON.stringify({ min: m.min, dims: m.dims }),
    encodeRuns(m.data),
    count,
    at,
  );
}

export function getMask(db: Db, id: string): BoxMask | null {
  const row = db.prepare('SELECT box_json, runs FROM finding_masks WHERE id = ?').get(id) as { box_json: string; runs: Buffer } | undefined;
  if (!row) return null;
  const box = JSON.parse(row.box_json) as { min: Vec3; dims: Vec3 };
  return { min: box.min, dims: box.dims, data: decodeRuns(row.runs, box.dims[0] * box.dims[1] * box.dims[2]) };
}
