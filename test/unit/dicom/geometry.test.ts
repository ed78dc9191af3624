// Slice sorting, grid checks and series grouping on constructed headers (pure functions, no files).
import { describe, expect, it } from 'vitest';
import { sortSlices } from '../../../src-main/dicom/sortSlices';
import { checkGeometry, NO_DATA_HU } from '../../../src-main/dicom/checkGeometry';
import { groupSeries } from '../../../src-main/dicom/groupSeries';
import { planVolume } from '../../../src-main/dicom/planVolume';
import { ijkToLps, type Vec3 } from '../../../src-main/shared/geometry';
import type { DicomHeader, SliceRef } from '../../../src-main/dicom/types';

type Iop = [number, number, number, number, number, number];
const AXIAL: Iop = [1, 0, 0, 0, 1, 0];
// An oblique plane: rows rotated 30° about z, columns tilted 20° out of the axial plane.
const c30 = Math.cos(Math.PI / 6), s30 = Math.sin(Math.PI / 6), c20 = Math.cos(Math.PI / 9), s20 = Math.sin(Math.PI / 9);
const OBLIQUE: Iop = [c30, s30, 0, -s30 * c20, c30 * c20, s20];

let sopCounter = 0;
function hdr(o: { ipp: Vec3; iop?: Iop; series?: string; rows?: number; cols?: number; acq?: number; imageType?: string[]; inst?: number; sop?: string; file?: string }): DicomHeader {
  const sop = o.sop ?? `1.2.3.${++sopCounter}`;
  return {
    file: o.file ?? `/data/${sop}.dcm`,
    size: 1000,
    mtimeMs: 0,
    transferSyntaxUID: '1.2.840.10008.1.2.1',
    sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
    sopInstanceUID: sop,
    patient: { patientId: 'P', patientName: 'N', birthDate: null, sex: null },
    study: { studyInstanceUID: '1.2.9', studyDate: null, studyTime: null, description: null, accessionNumber: null },
    seriesInstanceUID: o.series ?? '1.2.9.1',
    seriesNumber: 1,
    seriesDescription: null,
    modality: 'CT',
    bodyPart: null,
    imageType: o.imageType ?? ['ORIGINAL', 'PRIMARY', 'AXIAL'],
    instanceNumber: o.inst ?? sopCounter,
    acquisitionNumber: o.acq ?? 1,
    frameOfReferenceUID: null,
    pixel: { rows: o.rows ?? 4, columns: o.cols ?? 4, bitsAllocated: 16, bitsStored: 16, highBit: 15, pixelRepresentation: 1, samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2', numberOfFrames: 1, paddingValue: null, paddingRangeLimit: null },
    pixelData: { offset: 0, length: 32, encapsulated: false },
    frames: [{ ipp: o.ipp, iop: o.iop ?? AXIAL, pixelSpacing: [0.5, 0.75], sliceThickness: 1, rescaleSlope: 1, rescaleIntercept: 0 }],
    enhanced: false,
  };
}

const along = (iop: Iop, origin: Vec3, t: number): Vec3 => {
  const n: Vec3 = [iop[1] * iop[5] - iop[2] * iop[4], iop[2] * iop[3] - iop[0] * iop[5], iop[0] * iop[4] - iop[1] * iop[3]];
  return [origin[0] + t * n[0], origin[1] + t * n[1], origin[2] + t * n[2]];
};

function stack(positions: number[], iop: Iop = AXIAL, origin: Vec3 = [10, -20, 30]): DicomHeader[] {
  return positions.map((t, i) => hdr({ ipp: along(iop, origin, t), iop, inst: positions.length - i }));
}

const slicesOf = (hs: DicomHeader[]): SliceRef[] => groupSeries(hs).groups.flatMap((g) => g.slices);

describe('sortSlices', () => {
  it('orders an oblique stack by position along the normal, not by Instance Number or input order', () => {
    const positions = [7.5, -2.5, 0, 5, 2.5];
    const hs = stack(positions, OBLIQUE);
    // Instance Numbers deliberately scrambled relative to position.
    hs.forEach((h, i) => (h.instanceNumber = [3, 1, 5, 2, 4][i]));
    const sorted = sortSlices(slicesOf(hs));
    expect(sorted.positions.map((p) => p - sorted.positions[0])).toEqual([0, 2.5, 5, 7.5, 10].map((v) => expect.closeTo(v, 9)));
    expect(sorted.slices.map((s) => s.ipp)).toEqual([-2.5, 0, 2.5, 5, 7.5].map((t) => along(OBLIQUE, [10, -20, 30], t)));
  });
});

describe('checkGeometry', () => {
  it('accepts a regular stack and places the grid on the slices (oblique)', () => {
    const hs = stack([0, 1.25, 2.5, 3.75], OBLIQUE, [-100, 50, 7]);
    const r = planVolume(groupSeries(hs).groups[0]);
    expect(r.warnings).toEqual([]);
    const g = r.plan!.geometry;
    expect(g.dims).toEqual([4, 4, 4]);
    expect(g.spacing[0]).toBe(0.75); // PixelSpacing[1]: between columns, along i
    expect(g.spacing[1]).toBe(0.5);
    expect(g.spacing[2]).toBeCloseTo(1.25, 9);
    for (let k = 0; k < 4; k++) {
      const p = ijkToLps(g, [0, 0, k]);
      const want = along(OBLIQUE, [-100, 50, 7], 1.25 * k);
      expect(Math.hypot(p[0] - want[0], p[1] - want[1], p[2] - want[2])).toBeLessThan(1e-9);
    }
  });

  it('keeps missing slices in the grid, filled with no-data and named in a warning', () => {
    const r = planVolume(groupSeries(stack([0, 2.5, 5, 10, 12.5])).groups[0]);
    expect(r.warnings.map((w) => w.code)).toEqual(['missing_slices']);
    expect(r.warnings[0].message).toMatch(/1 slice\(s\) missing at 37\.5 mm/);
    expect(r.warnings[0].message).toContain(`${NO_DATA_HU} HU`);
    expect(r.plan!.geometry.dims[2]).toBe(6);
    expect(r.plan!.slices.map((s) => s === null)).toEqual([false, false, false, true, false, false]);
  });

  it('reports duplicate positions and uses one image per position', () => {
    const hs = stack([0, 2, 4, 6]);
    hs.push(hdr({ ipp: [10, -20, 34], file: '/data/dup.dcm', inst: 99 }));
    const r = planVolume(groupSeries(hs).groups[0]);
    expect(r.warnings.map((w) => w.code)).toEqual(['duplicate_positions']);
    expect(r.warnings[0].message).toContain('/data/dup.dcm');
    expect(r.plan!.geometry.dims[2]).toBe(4);
  });

  it('resamples irregular spacing onto the most common step, saying how many planes are interpolated', () => {
    const irregular = planVolume(groupSeries(stack([0, 1, 2.7, 3.7, 4.7])).groups[0]);
    expect(irregular.warnings.map((w) => w.code)).toEqual(['irregular_spacing']);
    expect(irregular.warnings[0].message).toBe(
      'Slice spacing varies from 1 to 1.7 mm: resampled to a regular 1 mm grid by linear interpolation between acquired slices; 3 of 5 planes interpolated',
    );
    const plan = irregular.plan!;
    expect(plan.geometry.dims).toEqual([4, 4, 5]);
    expect(plan.geometry.spacing[2]).toBeCloseTo(1, 9);
    // Planes at 0, 1 mm are acquired; 2 mm lies 1/1.7 of the way from 1 to 2.7; 3 and 4 mm 0.3 past 2.7 and 3.7.
    expect(plan.resample!.planes.map((p) => [p!.a, p!.b, Math.round(p!.w * 1e6) / 1e6])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [1, 2, Math.round(1e6 / 1.7) / 1e6],
      [2, 3, 0.3],
      [3, 4, 0.3],
    ]);
  });

  it('leaves gaps wider than two grid steps without data when resampling', () => {
    // Planes 3, 4 and 9 mm are blended; 5 to 8 mm lie in the 4 mm gap from 4.3 to 8.3.
    const r = planVolume(groupSeries(stack([0, 1, 2, 3.3, 4.3, 8.3, 9.3])).groups[0]);
    expect(r.warnings[0].message).toMatch(/; 3 of 10 planes interpolated; 4 plane\(s\) in gaps wider than 2 mm hold no data \(-2048 HU\)$/);
    expect(r.plan!.resample!.planes.map((p) => p === null)).toEqual([false, false, false, false, false, true, true, true, true, false]);
  });

  it('corrects gantry tilt by shifting slices in-plane onto a widened orthonormal grid', () => {
    const tilted = [0, 1, 2, 3].map((k) => hdr({ ipp: [0, 0.2 * k, 2 * k] }));
    const tilt = planVolume(groupSeries(tilted).groups[0]);
    expect(tilt.warnings.map((w) => w.code)).toEqual(['gantry_tilt']);
    expect(tilt.warnings[0].message).toMatch(/^Slices are sheared by 5\.71\d*° \(gantry tilt\): corrected by shifting each slice in-plane by its offset \(up to 0\.6 mm/); // atan(0.2 / 2)
    const g = tilt.plan!.geometry;
    // 0.2 mm per slice along the columns (0.5 mm rows): up to 1.2 rows of shift, so two more rows.
    expect(g.dims).toEqual([4, 6, 4]);
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(g.spacing[2]).toBeCloseTo(2, 9);
    expect(tilt.plan!.resample!.origins.map(([i, j]) => [i, Math.round(j * 1e6) / 1e6])).toEqual([[0, 0], [0, 0.4], [0, 0.8], [0, 1.2]]);
  });

  it('needs two slices for a volume', () => {
    const sorted = sortSlices(slicesOf(stack([0])));
    expect(checkGeometry(sorted).warnings.map((w) => w.code)).toEqual(['single_slice']);
  });
});

describe('groupSeries', () => {
  it('deduplicates by SOP Instance UID and names the duplicate file', () => {
    const a = hdr({ ipp: [0, 0, 0], sop: '9.9.1', file: '/a/one.dcm' });
    const b = hdr({ ipp: [0, 0, 0], sop: '9.9.1', file: '/b/copy-of-one.dcm' });
    const r = groupSeries([a, hdr({ ipp: [0, 0, 1] }), b]);
    expect(r.duplicates).toEqual([{ file: '/b/copy-of-one.dcm', code: 'duplicate', reason: expect.stringContaining('duplicate of /a/one.dcm') }]);
    expect(r.groups[0].instances).toHaveLength(2);
  });

  it('splits a series by orientation and image size, and lists localizers without a volume', () => {
    const axial = stack([0, 1, 2]);
    const coronal = [0, 1, 2].map((t) => hdr({ ipp: [0, t, 0], iop: [1, 0, 0, 0, 0, -1] }));
    const small = [0, 1].map((t) => hdr({ ipp: [0, 0, 50 + t], rows: 2, cols: 2 }));
    const scout = hdr({ ipp: [0, 0, 0], iop: [1, 0, 0, 0, 0, -1], series: '1.2.9.7', imageType: ['ORIGINAL', 'PRIMARY', 'LOCALIZER'] });
    const r = groupSeries([...axial, ...coronal, ...small, scout]);
    const main = r.groups.filter((g) => g.seriesInstanceUID === '1.2.9.1');
    expect(main.map((g) => g.slices.length).sort()).toEqual([2, 3, 3]);
    expect(new Set(main.map((g) => g.partKey)).size).toBe(3);
    for (const g of main) expect(g.warnings.map((w) => w.code)).toEqual(['mixed_orientation']);
    const loc = r.groups.find((g) => g.seriesInstanceUID === '1.2.9.7')!;
    expect(loc.isLocalizer).toBe(true);
    expect(planVolume(loc).warnings.map((w) => w.code)).toEqual(['localizer']);
  });

  it('splits two acquisitions at the same positions into two parts', () => {
    const first = stack([0, 1, 2]);
    const second = stack([0, 1, 2]).map((h) => ({ ...h, acquisitionNumber: 2 }));
    const r = groupSeries([...first, ...second]);
    expect(r.groups).toHaveLength(2);
    expect(r.groups.map((g) => g.partKey.endsWith('|acq1') || g.partKey.endsWith('|acq2'))).toEqual([true, true]);
    for (const g of r.groups) expect(planVolume(g).warnings.filter((w) => w.code !== 'mixed_orientation')).toEqual([]);
  });
});
