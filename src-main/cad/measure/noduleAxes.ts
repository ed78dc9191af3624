// Long and short axis of a segmented nodule on the axial slice where it is longest (Lung-RADS v2022 measures
// on the image with the largest extent; short axis perpendicular to the long axis). Extents are edge to edge:
// the distance between extreme pixel centres plus half a pixel projected on the measuring direction (the
// extreme centres lie about a quarter pixel inside the edge on average; measured on the phantom).
import type { Grid } from '../voxel/grid';

export interface AxialAxes {
  longAxisMm: number;
  shortAxisMm: number;
  slice: number; // crop k index of the measured slice
}

export function axialAxes(mask: Uint8Array, grid: Grid): AxialAxes | null {
  const [nx, ny, nz] = grid.dims;
  const [sx, sy] = grid.spacing;
  let best: AxialAxes | null = null;
  for (let k = 0; k < nz; k++) {
    const pts: number[] = [];
    const off = k * nx * ny;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p = off + i + nx * j;
        if (!mask[p]) continue;
        const edge = i === 0 || j === 0 || i === nx - 1 || j === ny - 1 || !mask[p - 1] || !mask[p + 1] || !mask[p - nx] || !mask[p + nx];
        if (edge) pts.push(i * sx, j * sy);
      }
    if (pts.length === 0) continue;
    const m = pts.length / 2;
    let bestD2 = -1, ux = 1, uy = 0;
    for (let a = 0; a < m; a++)
      for (let b = a + 1; b < m; b++) {
        const dx = pts[2 * b] - pts[2 * a], dy = pts[2 * b + 1] - pts[2 * a + 1];
        const d2 = dx * dx + dy * dy;
        if (d2 > bestD2) { bestD2 = d2; const d = Math.sqrt(d2) || 1; ux = dx / d; uy = dy / d; }
      }
    const longAxisMm = Math.sqrt(Math.max(0, bestD2)) + 0.5 * (Math.abs(ux) * sx + Math.abs(uy) * sy);
    const vx = -uy, vy = ux;
    let lo = Infinity, hi = -Infinity;
    for (let a = 0; a < m; a++) {
      const t = pts[2 * a] * vx + pts[2 * a + 1] * vy;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
    const shortAxisMm = hi - lo + 0.5 * (Math.abs(vx) * sx + Math.abs(vy) * sy);
    if (!best || longAxisMm > best.longAxisMm) best = { longAxisMm, shortAxisMm: Math.min(shortAxisMm, longAxisMm), slice: k };
  }
  return best;
}
