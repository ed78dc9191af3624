// Separable 3D Gaussian smoothing as an ONNX graph (edge-replicating Pad, then three 1D convolutions), so the
// classical detector's heaviest filtering can run on a GPU execution provider. Reproduces
// voxel/gaussianFilter.ts's gaussianSmooth (the reference) to float rounding.
import type { Vec3 } from '../../shared/geometry';
import { gaussianKernel } from '../voxel/gaussianFilter';
import { loadOrt } from '../providers';
import { getSession } from '../session';
import { GraphBuilder, str } from './graphBuilder';

/** The model for one set of per-axis kernels (x = columns, y = rows, z = slices). */
export function gaussianSmoothModel(kx: Float32Array, ky: Float32Array, kz: Float32Array): Uint8Array {
  const [rx, ry, rz] = [kx, ky, kz].map((k) => (k.length - 1) >> 1);
  const g = new GraphBuilder('gaussian-smooth');
  g.input('x', 'float32', [1, 1, 'D', 'H', 'W']);
  g.initializer('pads', 'int64', [10], [0, 0, rz, ry, rx, 0, 0, rz, ry, rx]);
  g.initializer('kx', 'float32', [1, 1, 1, 1, kx.length], kx);
  g.initializer('ky', 'float32', [1, 1, 1, ky.length, 1], ky);
  g.initializer('kz', 'float32', [1, 1, kz.length, 1, 1], kz);
  g.node('Pad', ['x', 'pads'], ['padded'], { mode: str('edge') });
  g.node('Conv', ['padded', 'kx'], ['sx']);
  g.node('Conv', ['sx', 'ky'], ['sy']);
  g.node('Conv', ['sy', 'kz'], ['y']);
  g.output('y', 'float32', [1, 1, 'D', 'H', 'W']);
  return g.build({ opset: 17 });
}

/** An EnhanceFn (same contract as gaussianSmooth) running on `provider`; sessions cached per kernel set. */
export function onnxGaussianSmoother(provider: string): (vol: Float32Array, dims: Vec3, spacing: Vec3, sigmaMm: number) => Promise<Float32Array> {
  return async (vol, dims, spacing, sigmaMm) => {
    const ks = [0, 1, 2].map((a) => gaussianKernel(sigmaMm / spacing[a]));
    const key = `gauss:${ks.map((k) => Array.from(k, (v) => v.toPrecision(7)).join(',')).join('|')}`;
    const session = await getSession(key, gaussianSmoothModel(ks[0], ks[1], ks[2]), provider);
    const ort = loadOrt();
    const out = await session.run({ x: new ort.Tensor('float32', vol, [1, 1, dims[2], dims[1], dims[0]]) });
    return out.y.data as Float32Array;
  };
}
