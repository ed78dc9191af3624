// The volume grid of a checked slice stack, in LPS mm: i along the DICOM row direction (columns increase),
// j along the column direction (rows increase), k along the slice normal (row x column) in sorted order.
import type { VolumeGeometry } from '../shared/geometry';
import type { GridLayout } from './checkGeometry';

function unit(x: number, y: number, z: number): [number, number, number] {
  const l = Math.hypot(x, y, z);
  return [x / l, y / l, z / l];
}

export function volumeGeometry(layout: GridLayout, columns: number, rows: number): VolumeGeometry {
  const s0 = layout.slices[0];
  const iop = s0.iop;
  const dirI = unit(iop[0], iop[1], iop[2]);
  const dirJ = unit(iop[3], iop[4], iop[5]);
  const n = layout.normal;
  return {
    dims: [columns, rows, layout.depth],
    // PixelSpacing is [between rows, between columns]: i steps between columns.
    spacing: [s0.pixelSpacing[1], s0.pixelSpacing[0], layout.stepMm],
    origin: [s0.ipp[0], s0.ipp[1], s0.ipp[2]],
    direction: [dirI[0], dirI[1], dirI[2], dirJ[0], dirJ[1], dirJ[2], n[0], n[1], n[2]],
  };
}
