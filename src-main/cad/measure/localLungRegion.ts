// The lung region inside a small crop: air (< -400 HU) that is not outside the body, closed per axial slice
// with a 10 mm disc and its holes filled — the crop-sized version of the detector's lung mask, so that a
// juxtapleural nodule can be cut from the chest wall along the pleural line. Outside air is found on the
// full slices (air connected to the slice border), since a crop cannot tell it from lung.
import type { HuVolume, Vec3 } from '../../shared/geometry';
import type { Box, Grid } from '../voxel/grid';
import { AIR_THRESHOLD_HU, CLOSING_RADIUS_MM } from '../voxel/lungThresholds';
import { close, fillHolesPerSlice } from '../voxel/morphology';

export interface LocalLung {
  region: Uint8Array;
  air: Uint8Array;
  backgroundHU: number;
}

export function localLungRegion(vol: HuVolume, box: Box, data: Float32Array, grid: Grid): LocalLung {
  const outside = outsideAirInBox(vol, box);
  const air = new Uint8Array(data.length);
  let sum = 0, n = 0;
  for (let p = 0; p < data.length; p++) {
    if (data[p] < AIR_THRESHOLD_HU && !outside[p]) {
      air[p] = 1;
      if (data[p] > -1000) { sum += data[p]; n++; }
    }
  }
  const region = fillHolesPerSlice(close(air, grid, CLOSING_RADIUS_MM, [0, 1]), grid);
  return { region, air, backgroundHU: n > 0 ? sum / n : -850 };
}

/** Per slice of the box: air connected in-plane to the border of the full slice, cropped to the box. */
function outsideAirInBox(vol: HuVolume, box: Box): Uint8Array {
  const [nx, ny] = vol.geometry.dims;
  const nxy = nx * ny;
  const bd: Vec3 = [box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]];
  const out = new Uint8Array(bd[0] * bd[1] * bd[2]);
  const seen = new Uint8Array(nxy);
  const stack = new Int32Array(nxy);
  for (let k = box.min[2]; k < box.max[2]; k++) {
    seen.fill(0);
    const off = k * nxy;
    let top = 0;
    const push = (q: number): void => {
      if (!seen[q] && vol.voxels[off + q] < AIR_THRESHOLD_HU) { seen[q] = 1; stack[top++] = q; }
    };
    for (let i = 0; i < nx; i++) { push(i); push(i + nx * (ny - 1)); }
    for (let j = 0; j < ny; j++) { push(nx * j); push(nx * j + nx - 1); }
    while (top > 0) {
      const q = stack[--top];
      const i = q % nx;
      if (i > 0) push(q - 1);
      if (i < nx - 1) push(q + 1);
      if (q >= nx) push(q - nx);
      if (q < nxy - nx) push(q + nx);
    }
    let o = (k - box.min[2]) * bd[0] * bd[1];
    for (let j = box.min[1]; j < box.max[1]; j++)
      for (let i = box.min[0]; i < box.max[0]; i++) out[o++] = seen[i + nx * j];
  }
  return out;
}
