// Eigenvalues of a real symmetric 3x3 matrix, closed form (trigonometric solution of the characteristic cubic).

/** Writes the eigenvalues sorted by absolute value, |out[0]| >= |out[1]| >= |out[2]|. */
export function symmetricEigenvalues3(a11: number, a22: number, a33: number, a12: number, a13: number, a23: number, out: Float64Array): void {
  const p1 = a12 * a12 + a13 * a13 + a23 * a23;
  let e1: number;
  let e2: number;
  let e3: number;
  if (p1 < 1e-30) {
    e1 = a11; e2 = a22; e3 = a33;
  } else {
    const q = (a11 + a22 + a33) / 3;
    const b11 = a11 - q, b22 = a22 - q, b33 = a33 - q;
    const p2 = b11 * b11 + b22 * b22 + b33 * b33 + 2 * p1;
    const p = Math.sqrt(p2 / 6);
    const det = b11 * (b22 * b33 - a23 * a23) - a12 * (a12 * b33 - a23 * a13) + a13 * (a12 * a23 - b22 * a13);
    let r = det / (2 * p * p * p);
    r = r <= -1 ? -1 : r >= 1 ? 1 : r;
    const phi = Math.acos(r) / 3;
    e1 = q + 2 * p * Math.cos(phi);
    e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
    e2 = 3 * q - e1 - e3;
  }
  // Sort by magnitude, descending.
  if (Math.abs(e1) < Math.abs(e2)) { const t = e1; e1 = e2; e2 = t; }
  if (Math.abs(e2) < Math.abs(e3)) { const t = e2; e2 = e3; e3 = t; }
  if (Math.abs(e1) < Math.abs(e2)) { const t = e1; e1 = e2; e2 = t; }
  out[0] = e1; out[1] = e2; out[2] = e3;
}
