// Sliding-window inference over a float volume: overlapping patches, run in batches, outputs blended with a
// Gaussian weight (centre of a patch trusted more than its border) into one map the size of the volume.
import type { Vec3 } from '../shared/geometry';
import { throwIfCancelled } from '../shared/cancellation';

export interface SlidingWindowOptions {
  /** Patch size in voxels, [z, y, x]; z = 1 runs 2D slice patches. */
  patchZYX: Vec3;
  /** Fraction of a patch shared with its neighbour, 0..0.9. */
  overlap: number;
  batch: number;
  /** Value used where a patch extends beyond the volume (already intensity-mapped). */
  padValue: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Runs the model on `count` patches laid out back to back in `input`; returns the same layout of one-channel outputs. */
export type PatchInfer = (input: Float32Array, count: number) => Promise<Float32Array>;

/** Start offsets along one axis: evenly strided, the last flush with the end. */
export function patchStarts(dim: number, size: number, overlap: number): number[] {
  if (dim <= size) return [0];
  const stride = Math.max(1, Math.round(size * (1 - overlap)));
  const starts: number[] = [];
  for (let s = 0; s + size < dim; s += stride) starts.push(s);
  starts.push(dim - size);
  return starts;
}

function gaussianWeights(size: Vec3): Float32Array {
  const w = new Float32Array(size[0] * size[1] * size[2]);
  const g = size.map((n) => {
    const sigma = Math.max(n / 8, 0.5); // nnU-Net's choice: patch borders (padding artefacts) count little
    return Float32Array.from({ length: n }, (_, i) => Math.exp(-((i - (n - 1) / 2) ** 2) / (2 * sigma * sigma)));
  });
  let n = 0;
  for (let z = 0; z < size[0]; z++) for (let y = 0; y < size[1]; y++) for (let x = 0; x < size[2]; x++) w[n++] = Math.max(g[0][z] * g[1][y] * g[2][x], 1e-6);
  return w;
}

/**
 * `data` is a volume of dims [nx, ny, nz] (x fastest). Returns the blended model output on the same grid.
 */
export async function slidingWindow(data: Float32Array, dims: Vec3, infer: PatchInfer, o: SlidingWindowOptions): Promise<Float32Array> {
  const [nx, ny, nz] = dims;
  const [pd, ph, pw] = o.patchZYX;
  const psize = pd * ph * pw;
  const origins: Vec3[] = [];
  for (const z of patchStarts(nz, pd, o.overlap)) for (const y of patchStarts(ny, ph, o.overlap)) for (const x of patchStarts(nx, pw, o.overlap)) origins.push([x, y, z]);
  const weight = gaussianWeights(o.patchZYX);
  const acc = new Float32Array(nx * ny * nz);
  const wsum = new Float32Array(nx * ny * nz);
  const batchBuf = new Float32Array(psize * o.batch);
  for (let b = 0; b < origins.length; b += o.batch) {
    throwIfCancelled(o.signal, 'CAD run');
    const count = Math.min(o.batch, origins.length - b);
    for (let p = 0; p < count; p++) copyPatch(data, dims, origins[b + p], o.patchZYX, o.padValue, batchBuf, p * psize);
    const out = await infer(count === o.batch ? batchBuf : batchBuf.subarray(0, count * psize), count);
    if (out.length < count * psize) throw new Error(`model output holds ${out.length} values, expected ${count * psize} (${count} patches of ${pd}x${ph}x${pw})`);
    for (let p = 0; p < count; p++) {
      const [ox, oy, oz] = origins[b + p];
      let n = p * psize;
      let wn = 0;
      for (let z = 0; z < pd; z++) {
        for (let y = 0; y < ph; y++) {
          const zz = oz + z;
          const yy = oy + y;
          const inside = zz < nz && yy < ny;
          const row = (zz * ny + yy) * nx + ox;
          for (let x = 0; x < pw; x++, n++, wn++) {
            if (!inside || ox + x >= nx) continue;
            acc[row + x] += out[n] * weight[wn];
            wsum[row + x] += weight[wn];
          }
        }
      }
    }
    o.onProgress?.(Math.min(b + count, origins.length), origins.length);
  }
  for (let n = 0; n < acc.length; n++) acc[n] = wsum[n] > 0 ? acc[n] / wsum[n] : 0;
  return acc;
}

function copyPatch(data: Float32Array, dims: Vec3, origin: Vec3, size: Vec3, pad: number, out: Float32Array, offset: number): void {
  const [nx, ny, nz] = dims;
  const [pd, ph, pw] = size;
  let n = offset;
  for (let z = 0; z < pd; z++) {
    for (let y = 0; y < ph; y++) {
      const zz = origin[2] + z;
      const yy = origin[1] + y;
      if (zz >= nz || yy >= ny) {
        out.fill(pad, n, n + pw);
        n += pw;
        continue;
      }
      const row = (zz * ny + yy) * nx + origin[0];
      const len = Math.min(pw, nx - origin[0]);
      out.set(data.subarray(row, row + len), n);
      if (len < pw) out.fill(pad, n + len, n + pw);
      n += pw;
    }
  }
}
