// Separable 3D Gaussian smoothing (edges replicated). The reference path for the Hessian; an optional
// EnhanceFn (ONNX/GPU) must reproduce it.
import type { Vec3 } from '../../shared/geometry';

export function gaussianKernel(sigmaVox: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigmaVox));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let t = -r; t <= r; t++) {
    const v = Math.exp(-(t * t) / (2 * sigmaVox * sigmaVox));
    k[t + r] = v;
    sum += v;
  }
  for (let t = 0; t < k.length; t++) k[t] /= sum;
  return k;
}

/** Smooth `src` with an isotropic Gaussian of sigmaMm on a grid of the given spacing. Returns a new array. */
export function gaussianSmooth(src: Float32Array, dims: Vec3, spacing: Vec3, sigmaMm: number): Float32Array {
  let cur = src;
  for (let a = 0; a < 3; a++) {
    const kernel = gaussianKernel(sigmaMm / spacing[a]);
    cur = convolveAxis(cur, dims, a as 0 | 1 | 2, kernel);
  }
  return cur;
}

export function convolveAxis(src: Float32Array, dims: Vec3, axis: 0 | 1 | 2, kernel: Float32Array): Float32Array {
  const [nx, ny, nz] = dims;
  const out = new Float32Array(src.length);
  const r = (kernel.length - 1) >> 1;
  const len = dims[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? nx : nx * ny;
  const line = new Float32Array(len + 2 * r);
  const lines = src.length / len;
  for (let l = 0; l < lines; l++) {
    // Start index of line l along `axis`.
    let base: number;
    if (axis === 0) base = l * nx;
    else if (axis === 1) base = (l % nx) + Math.floor(l / nx) * nx * ny;
    else base = l; // l < nx*ny
    for (let t = 0; t < len; t++) line[t + r] = src[base + t * stride];
    const first = line[r];
    const last = line[r + len - 1];
    for (let t = 0; t < r; t++) { line[t] = first; line[len + r + t] = last; }
    for (let t = 0; t < len; t++) {
      let s = 0;
      for (let q = 0; q < kernel.length; q++) s += kernel[q] * line[t + q];
      out[base + t * stride] = s;
    }
  }
  void nz;
  return out;
}
