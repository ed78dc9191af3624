// Binary morphology on voxel grids with true Euclidean (mm) structuring elements, via exact distance transforms.
// Separable squared EDT (Felzenszwalb & Huttenlocher 2012) handles anisotropic spacing and, run over axes 0,1
// only, gives per-axial-slice (2D) operations — which the lung mask needs on thin slabs.
import type { Grid } from './grid';
import { gridSize } from './grid';

const INF = 1e20;

/** Squared distance (mm²) from every voxel to the nearest voxel with mask = 1, over the given axes. */
export function squaredDistanceTo(mask: Uint8Array, grid: Grid, axes: readonly (0 | 1 | 2)[] = [0, 1, 2]): Float32Array {
  const n = gridSize(grid);
  const d = new Float32Array(n);
  for (let p = 0; p < n; p++) d[p] = mask[p] ? 0 : INF;
  const [nx, ny, nz] = grid.dims;
  const strides = [1, nx, nx * ny];
  const maxLen = Math.max(nx, ny, nz);
  const f = new Float64Array(maxLen);
  const out = new Float64Array(maxLen);
  const v = new Int32Array(maxLen);
  const z = new Float64Array(maxLen + 1);
  axes.forEach((a, pass) => {
    const len = grid.dims[a];
    const stride = strides[a];
    const w = grid.spacing[a] * grid.spacing[a];
    // Iterate over every line along axis a.
    const others = ([0, 1, 2] as const).filter((x) => x !== a);
    const [b, c] = others;
    for (let ic = 0; ic < grid.dims[c]; ic++) {
      for (let ib = 0; ib < grid.dims[b]; ib++) {
        const base = ib * strides[b] + ic * strides[c];
        for (let t = 0; t < len; t++) f[t] = d[base + t * stride];
        // On the first pass the input is still binary (0 or INF): two linear scans give the same answer as the
        // lower envelope, at a fraction of its cost.
        if (pass === 0) binaryEdt1d(f, len, w, out);
        else edt1d(f, len, w, out, v, z);
        for (let t = 0; t < len; t++) d[base + t * stride] = out[t];
      }
    }
  });
  return d;
}

/** 1D squared distance to the nearest 0 of a 0/INF line: out[p] = w (p - q)² for the nearest q with f[q] = 0. */
function binaryEdt1d(f: Float64Array, n: number, w: number, out: Float64Array): void {
  let last = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === 0) last = q;
    out[q] = last < 0 ? INF : w * (q - last) * (q - last);
  }
  last = -1;
  for (let q = n - 1; q >= 0; q--) {
    if (f[q] === 0) last = q;
    if (last >= 0) {
      const e = w * (last - q) * (last - q);
      if (e < out[q]) out[q] = e;
    }
  }
}

/** 1D lower envelope of parabolas: out[p] = min_q f[q] + w (p - q)². */
function edt1d(f: Float64Array, n: number, w: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  let first = -1;
  for (let q = 0; q < n; q++) if (f[q] < INF) { first = q; break; }
  if (first < 0) {
    for (let q = 0; q < n; q++) out[q] = INF;
    return;
  }
  v[0] = first;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = first + 1; q < n; q++) {
    if (f[q] >= INF) continue;
    let s = 0;
    for (;;) {
      const r = v[k];
      s = (f[q] + w * q * q - (f[r] + w * r * r)) / (2 * w * (q - r));
      if (s <= z[k] && k > 0) k--;
      else break;
    }
    if (s <= z[k]) {
      // k === 0 and the new parabola dominates everywhere to the left of the old one.
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
      continue;
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const r = v[k];
    out[q] = w * (q - r) * (q - r) + f[r];
  }
}

export function dilate(mask: Uint8Array, grid: Grid, radiusMm: number, axes?: readonly (0 | 1 | 2)[]): Uint8Array {
  const d = squaredDistanceTo(mask, grid, axes);
  const r2 = radiusMm * radiusMm + 1e-6;
  const out = new Uint8Array(d.length);
  for (let p = 0; p < d.length; p++) out[p] = d[p] <= r2 ? 1 : 0;
  return out;
}

export function erode(mask: Uint8Array, grid: Grid, radiusMm: number, axes?: readonly (0 | 1 | 2)[]): Uint8Array {
  const inv = invert(mask);
  const d = squaredDistanceTo(inv, grid, axes);
  const r2 = radiusMm * radiusMm + 1e-6;
  const out = new Uint8Array(d.length);
  // Voxels beyond the grid edge count as "inside": a structure cut by the crop is not eroded from the cut.
  for (let p = 0; p < d.length; p++) out[p] = mask[p] && d[p] > r2 ? 1 : 0;
  return out;
}

export function open(mask: Uint8Array, grid: Grid, radiusMm: number, axes?: readonly (0 | 1 | 2)[]): Uint8Array {
  return dilate(erode(mask, grid, radiusMm, axes), grid, radiusMm, axes);
}

export function close(mask: Uint8Array, grid: Grid, radiusMm: number, axes?: readonly (0 | 1 | 2)[]): Uint8Array {
  return erode(dilate(mask, grid, radiusMm, axes), grid, radiusMm, axes);
}

export function invert(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let p = 0; p < mask.length; p++) out[p] = mask[p] ? 0 : 1;
  return out;
}

export interface Components {
  labels: Int32Array; // 0 = background, 1..count
  sizes: number[]; // sizes[label], sizes[0] = 0
  count: number;
}

/** 6-connected component labelling (iterative flood fill). */
export function labelComponents(mask: Uint8Array, grid: Grid): Components {
  const [nx, ny, nz] = grid.dims;
  const nxy = nx * ny;
  const labels = new Int32Array(mask.length);
  const sizes = [0];
  const stack = new Int32Array(mask.length);
  let count = 0;
  for (let p0 = 0; p0 < mask.length; p0++) {
    if (!mask[p0] || labels[p0]) continue;
    count++;
    let top = 0;
    let size = 0;
    stack[top++] = p0;
    labels[p0] = count;
    while (top > 0) {
      const p = stack[--top];
      size++;
      const i = p % nx;
      const j = ((p - i) / nx) % ny;
      const k = Math.floor(p / nxy);
      if (i > 0 && mask[p - 1] && !labels[p - 1]) { labels[p - 1] = count; stack[top++] = p - 1; }
      if (i < nx - 1 && mask[p + 1] && !labels[p + 1]) { labels[p + 1] = count; stack[top++] = p + 1; }
      if (j > 0 && mask[p - nx] && !labels[p - nx]) { labels[p - nx] = count; stack[top++] = p - nx; }
      if (j < ny - 1 && mask[p + nx] && !labels[p + nx]) { labels[p + nx] = count; stack[top++] = p + nx; }
      if (k > 0 && mask[p - nxy] && !labels[p - nxy]) { labels[p - nxy] = count; stack[top++] = p - nxy; }
      if (k < nz - 1 && mask[p + nxy] && !labels[p + nxy]) { labels[p + nxy] = count; stack[top++] = p + nxy; }
    }
    sizes.push(size);
  }
  return { labels, sizes, count };
}

/** Per axial slice: the voxels of `mask` 4-connected (in-plane) to the slice border. */
export function connectedToSliceBorder(mask: Uint8Array, grid: Grid): Uint8Array {
  const [nx, ny, nz] = grid.dims;
  const nxy = nx * ny;
  const out = new Uint8Array(mask.length);
  const stack = new Int32Array(nxy);
  for (let k = 0; k < nz; k++) {
    const off = k * nxy;
    let top = 0;
    const seed = (q: number): void => {
      if (mask[off + q] && !out[off + q]) { out[off + q] = 1; stack[top++] = q; }
    };
    for (let i = 0; i < nx; i++) { seed(i); seed(i + nx * (ny - 1)); }
    for (let j = 0; j < ny; j++) { seed(nx * j); seed(nx * j + nx - 1); }
    while (top > 0) {
      const q = stack[--top];
      const i = q % nx;
      const j = (q - i) / nx;
      if (i > 0) seed(q - 1);
      if (i < nx - 1) seed(q + 1);
      if (j > 0) seed(q - nx);
      if (j < ny - 1) seed(q + nx);
    }
  }
  return out;
}

/** Per axial slice: fill holes (background not connected to the slice border). */
export function fillHolesPerSlice(mask: Uint8Array, grid: Grid): Uint8Array {
  const outside = connectedToSliceBorder(invert(mask), grid);
  return invert(outside);
}
