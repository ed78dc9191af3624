// DICOM Segmentation (BINARY) of the reported nodules' stored masks: one segment per nodule, one frame per
// (segment, acquired slice) the mask touches, each frame the full image plane, referencing the source CT
// instance it was derived from. Pure: ReportInput → Part 10 bytes (dcmjs writes them).
import { deidentificationAttributes } from '../deidentify';
import { writePart10, type Naturalized } from '../dicom-out/dcmjsIo';
import { derivedInstanceHeader } from '../dicom-out/derivedInstance';
import { C } from '../dicom-out/codes';
import { reportedNodules, type ReportInput } from '../reportInput';
import { ijkToLps } from '../../shared/geometry';

export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

export class SegExportError extends Error {}

const ds6 = (x: number): string => String(Number(x.toFixed(6)));

export function writeSeg(input: ReportInput): Buffer {
  const g = input.geometry;
  const [nx, ny] = g.dims;
  const nodules = reportedNodules(input).filter((n) => n.mask);
  if (!nodules.length) throw new SegExportError('No reported nodule has a stored segmentation: there is nothing to put in a SEG');
  if (!input.slices.length) throw new SegExportError('The volume is not made of the acquired slices (it was resampled); a SEG referencing them cannot be written');
  if (!input.series.frameOfReferenceUID) throw new SegExportError('The source series has no Frame of Reference UID');
  const byK = new Map(input.slices.map((s) => [s.k, s]));
  const frames: { seg: number; k: number; bits: Uint8Array }[] = [];
  nodules.forEach((n, idx) => {
    const m = n.mask!;
    for (let kk = 0; kk < m.dims[2]; kk++) {
      const k = m.min[2] + kk;
      const plane = new Uint8Array(nx * ny);
      let any = false;
      for (let jj = 0; jj < m.dims[1]; jj++)
        for (let ii = 0; ii < m.dims[0]; ii++)
          if (m.data[ii + m.dims[0] * (jj + m.dims[1] * kk)]) {
            plane[m.min[0] + ii + nx * (m.min[1] + jj)] = 1;
            any = true;
          }
      if (!any) continue;
      if (!byK.has(k)) throw new SegExportError(`Slice ${k} of ${n.finding.label}'s mask is not an acquired image of the series`);
      frames.push({ seg: idx + 1, k, bits: plane });
    }
  });
  // Pixel data: frames one after another, each nx*ny bits, LSB first (PS3.5 8.1.1), padded to an even length.
  const bitsPerFrame = nx * ny;
  const pixel = new Uint8Array(Math.ceil((bitsPerFrame * frames.length) / 8 / 2) * 2);
  frames.forEach((f, fi) => {
    const base = fi * bitsPerFrame;
    for (let p = 0; p < bitsPerFrame; p++) if (f.bits[p]) pixel[(base + p) >> 3] |= 1 << ((base + p) & 7);
  });
  const d = g.direction;
  const iop = [d[0], d[1], d[2], d[3], d[4], d[5]].map(ds6);
  const ds: Naturalized = {
    ...derivedInstanceHeader(input, {
      sopClassUID: SEGMENTATION_STORAGE,
      modality: 'SEG',
      seriesNumber: '9101',
      seriesDescription: input.read ? `Pulmo nodule segmentations, read v${input.read.version}` : 'Pulmo CAD segmentations (not reviewed)',
    }),
    ImageType: ['DERIVED', 'PRIMARY'],
    DeviceSerialNumber: input.device.deviceUID,
    FrameOfReferenceUID: input.series.frameOfReferenceUID,
    PositionReferenceIndicator: '',
    ContentLabel: 'NODULES',
    ContentDescription: 'Lung nodule segmentations',
    ContentCreatorName: input.read ? input.read.reader.name.replace(/\s+/g, '^') : '',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    NumberOfFrames: String(frames.length),
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: '00',
    SegmentationType: 'BINARY',
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: input.series.seriesInstanceUID,
        ReferencedInstanceSequence: [...new Set(frames.map((f) => f.k))].map((k) => ({ ReferencedSOPClassUID: byK.get(k)!.sopClassUID, ReferencedSOPInstanceUID: byK.get(k)!.sopInstanceUID })),
      },
    ],
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: input.newUIDs.series + '.1' }],
    DimensionIndexSequence: [
      { DimensionOrganizationUID: input.newUIDs.series + '.1', DimensionIndexPointer: '0062000B', FunctionalGroupPointer: '0062000A', DimensionDescriptionLabel: 'ReferencedSegmentNumber' },
      { DimensionOrganizationUID: input.newUIDs.series + '.1', DimensionIndexPointer: '00200032', FunctionalGroupPointer: '00209113', DimensionDescriptionLabel: 'ImagePositionPatient' },
    ],
    SegmentSequence: nodules.map((n, idx) => ({
      SegmentNumber: idx + 1,
      SegmentLabel: n.finding.label.slice(0, 64),
      SegmentDescription: `${n.decision}${n.finding.diameterMm !== null ? `, ${n.finding.diameterMm} mm` : ''}`.slice(0, 64),
      SegmentAlgorithmType: n.finding.source === 'cad' ? 'AUTOMATIC' : 'SEMIAUTOMATIC',
      SegmentAlgorithmName: n.finding.source === 'cad' ? `${n.finding.modelId ?? 'CAD'} ${n.finding.modelVersion ?? ''}`.trim().slice(0, 64) : `Pulmo seeded segmentation ${input.device.version}`,
      SegmentedPropertyCategoryCodeSequence: [C.morphAbnormal],
      SegmentedPropertyTypeCodeSequence: [C.nodule],
      AnatomicRegionSequence: [C.lung],
      TrackingID: n.finding.label.slice(0, 64),
      TrackingUID: n.trackingUID,
      RecommendedDisplayCIELabValue: [43803, 26565, 37722],
    })),
    SharedFunctionalGroupsSequence: [
      {
        PlaneOrientationSequence: [{ ImageOrientationPatient: iop }],
        PixelMeasuresSequence: [{ PixelSpacing: [ds6(g.spacing[1]), ds6(g.spacing[0])], SliceThickness: ds6(g.spacing[2]), SpacingBetweenSlices: ds6(g.spacing[2]) }],
      },
    ],
    PerFrameFunctionalGroupsSequence: frames.map((f) => {
      const src = byK.get(f.k)!;
      return {
        FrameContentSequence: [{ DimensionIndexValues: [f.seg, f.k + 1] }],
        PlanePositionSequence: [{ ImagePositionPatient: ijkToLps(g, [0, 0, f.k]).map(ds6) }],
        SegmentIdentificationSequence: [{ ReferencedSegmentNumber: f.seg }],
        DerivationImageSequence: [
          {
            SourceImageSequence: [{ ReferencedSOPClassUID: src.sopClassUID, ReferencedSOPInstanceUID: src.sopInstanceUID, PurposeOfReferenceCodeSequence: [C.sourceForProcessing] }],
            DerivationCodeSequence: [C.segmentation],
          },
        ],
      };
    }),
    PixelData: pixel.buffer,
    _vrMap: { PixelData: 'OB' },
    ...deidentificationAttributes(input),
  };
  return writePart10(ds);
}

/** The frames of a SEG as masks, for tests and the round trip: segment number → set of voxel indices (i + nx*(j + ny*k)). */
export function segFramesToVoxels(pixel: Uint8Array, frames: { seg: number; k: number }[], nx: number, ny: number): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  frames.forEach((f, fi) => {
    const set = out.get(f.seg) ?? new Set<number>();
    const base = fi * nx * ny;
    for (let p = 0; p < nx * ny; p++) if (pixel[(base + p) >> 3] & (1 << ((base + p) & 7))) set.add(p + nx * ny * f.k);
    out.set(f.seg, set);
  });
  return out;
}
