// A key image of a nodule: the axial slice through its centre, a square field of view around it in the lung
// window, its stored mask outlined, and a 10 mm scale bar. Pure: volume + nodule → PNG bytes (pngjs encodes).
import { PNG } from 'pngjs';
import type { HuVolume, Vec3 } from '../../shared/geometry';
import { lpsToIjk } from '../../shared/geometry';
import type { ReportNodule } from '../reportInput';

export interface KeyImage {
  png: Buffer;
  /** Image size in pixels and the millimetres one pixel spans. */
  size: number;
  mmPerPixel: number;
  slice: number;
  scaleBarMm: number;
  outlinePixels: number;
}

const WINDOW = { center: -600, width: 1500 };

export function keyImage(vol: HuVolume, n: ReportNodule, size = 256, fovMm = 60): KeyImage {
  const g = vol.geometry;
  const c = lpsToIjk(g, n.finding.centerLPS);
  const k = Math.max(0, Math.min(g.dims[2] - 1, Math.round(c[2])));
  const mmPerPixel = fovMm / size;
  const [nx, ny] = g.dims;
  const png = new PNG({ width: size, height: size });
  const inMask = (i: number, j: number): boolean => {
    const m = n.mask;
    if (!m) return false;
    const ii = i - m.min[0], jj = j - m.min[1], kk = k - m.min[2];
    if (ii < 0 || jj < 0 || kk < 0 || ii >= m.dims[0] || jj >= m.dims[1] || kk >= m.dims[2]) return false;
    return m.data[ii + m.dims[0] * (jj + m.dims[1] * kk)] === 1;
  };
  const voxelAt = (px: number, py: number): [number, number] => [
    Math.round(c[0] + ((px - size / 2) * mmPerPixel) / g.spacing[0]),
    Math.round(c[1] + ((py - size / 2) * mmPerPixel) / g.spacing[1]),
  ];
  let outline = 0;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const [i, j] = voxelAt(px, py);
      const o = 4 * (px + size * py);
      let v = 0;
      if (i >= 0 && j >= 0 && i < nx && j < ny) {
        const hu = vol.voxels[i + nx * (j + ny * k)];
        v = Math.max(0, Math.min(255, Math.round(((hu - (WINDOW.center - WINDOW.width / 2)) / WINDOW.width) * 255)));
      }
      png.data[o] = png.data[o + 1] = png.data[o + 2] = v;
      png.data[o + 3] = 255;
      // Outline: a mask voxel with a non-mask 4-neighbour in the plane.
      if (inMask(i, j) && (!inMask(i - 1, j) || !inMask(i + 1, j) || !inMask(i, j - 1) || !inMask(i, j + 1))) {
        const edge = [voxelAt(px - 1, py), voxelAt(px + 1, py), voxelAt(px, py - 1), voxelAt(px, py + 1)].some(([a, b]) => !inMask(a, b));
        if (edge) {
          png.data[o] = 255;
          png.data[o + 1] = 200;
          png.data[o + 2] = 0;
          outline++;
        }
      }
    }
  }
  // Scale bar: 10 mm, bottom left, white.
  const barPx = Math.round(10 / mmPerPixel);
  for (let y = size - 14; y < size - 10; y++) for (let x = 10; x < 10 + barPx; x++) {
    const o = 4 * (x + size * y);
    png.data[o] = png.data[o + 1] = png.data[o + 2] = 255;
  }
  return { png: PNG.sync.write(png), size, mmPerPixel, slice: k, scaleBarMm: 10, outlinePixels: outline };
}

export type { Vec3 };
