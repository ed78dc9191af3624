// Volume geometry in the DICOM patient coordinate system (LPS, millimetres).
// Pure maths shared by main (import, CAD) and renderer (viewer overlays).

export type Vec3 = [number, number, number];

/**
 * `direction` holds three unit column vectors, row-major as [i, j, k] axes:
 * direction[0..2] is the LPS direction of increasing column index i (DICOM row direction cosines),
 * direction[3..5] of increasing row index j (column direction cosines), direction[6..8] of increasing slice k.
 * Voxel (i,j,k) centre in LPS = origin + i*spacing[0]*dirI + j*spacing[1]*dirJ + k*spacing[2]*dirK.
 */
export interface VolumeGeometry {
  dims: Vec3;
  spacing: Vec3;
  origin: Vec3;
  direction: [number, number, number, number, number, number, number, number, number];
  /**
   * DICOM Instance Number (0020,0013) of each k plane, for volumes built from whole slices (absent when resampled
   * or unknown): the viewer shows it so the reader finds the image PACS calls by that number.
   */
  instanceNumbers?: (number | null)[];
}

export function axis(g: VolumeGeometry, a: 0 | 1 | 2): Vec3 {
  return [g.direction[a * 3], g.direction[a * 3 + 1], g.direction[a * 3 + 2]];
}

export function ijkToLps(g: VolumeGeometry, ijk: Vec3): Vec3 {
  const out: Vec3 = [g.origin[0], g.origin[1], g.origin[2]];
  for (let a = 0; a < 3; a++) {
    const s = ijk[a] * g.spacing[a];
    out[0] += s * g.direction[a * 3];
    out[1] += s * g.direction[a * 3 + 1];
    out[2] += s * g.direction[a * 3 + 2];
  }
  return out;
}

/** Inverse of ijkToLps. Assumes the three axes are orthonormal (import guarantees it: tilted stacks are resampled). */
export function lpsToIjk(g: VolumeGeometry, p: Vec3): Vec3 {
  const d: Vec3 = [p[0] - g.origin[0], p[1] - g.origin[1], p[2] - g.origin[2]];
  const out: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    out[a] = (d[0] * g.direction[a * 3] + d[1] * g.direction[a * 3 + 1] + d[2] * g.direction[a * 3 + 2]) / g.spacing[a];
  }
  return out;
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function voxelCount(g: VolumeGeometry): number {
  return g.dims[0] * g.dims[1] * g.dims[2];
}

/** A CT volume in Hounsfield units: int16, i fastest, then j, then k (the layout of the on-disk cache too). */
export interface HuVolume {
  voxels: Int16Array;
  geometry: VolumeGeometry;
}
