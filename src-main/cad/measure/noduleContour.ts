// An axial outline of a segmented nodule: rays cast from the in-slice centroid, each stopped at the last mask
// pixel (edge at half a sample beyond). Nodules are close to star-shaped around their centre, which is what
// a radial outline assumes.
import type { Grid } from '../voxel/grid';

/** Returns [i, j] crop-index points (fractional) of a closed polygon on slice k, or [] if the slice is empty. */
export function radialContour(mask: Uint8Array, grid: Grid, k: number, rays = 48): [number, number][] {
  const [nx, ny] = grid.dims;
  const off = k * nx * ny;
  let n = 0, ci = 0, cj = 0;
  for (let j = 0; j < ny; j++)
    for (let i = 0; i < nx; i++)
      if (mask[off + i + nx * j]) { n++; ci += i; cj += j; }
  if (n === 0) return [];
  ci /= n; cj /= n;
  const inside = (x: number, y: number): boolean => {
    const i = Math.round(x), j = Math.round(y);
    return i >= 0 && j >= 0 && i < nx && j < ny && mask[off + i + nx * j] === 1;
  };
  const step = 0.25;
  const out: [number, number][] = [];
  for (let r = 0; r < rays; r++) {
    const th = (2 * Math.PI * r) / rays;
    // Step in mm-isotropic direction, converted to index units.
    const dx = Math.cos(th) / grid.spacing[0], dy = Math.sin(th) / grid.spacing[1];
    const norm = Math.min(grid.spacing[0], grid.spacing[1]);
    let t = 0;
    const maxT = (nx * grid.spacing[0] + ny * grid.spacing[1]);
    while (t < maxT && inside(ci + dx * (t + step * norm), cj + dy * (t + step * norm))) t += step * norm;
    const tEdge = t + 0.5 * step * norm;
    out.push([ci + dx * tEdge, cj + dy * tEdge]);
  }
  return out;
}
