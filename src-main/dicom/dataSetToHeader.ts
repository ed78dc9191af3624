// Maps a parsed dicom-parser DataSet (phase 1: parsed up to Pixel Data) to the typed DicomHeader.
import type { DataSet } from 'dicom-parser';
import type { Vec3 } from '../shared/geometry';
import type { DicomHeader, FrameGeometry, PixelDataLocation, PixelInfo } from './types';
import { T } from './tags';
import { checkFrameCount, tagName, type InvalidAttribute } from './limits';

type Iop = [number, number, number, number, number, number];

export function str(ds: DataSet, tag: string): string | null {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return null;
  const v = ds.string(tag);
  return v === undefined || v === '' ? null : v;
}

function int(ds: DataSet, tag: string): number | null {
  const s = str(ds, tag);
  if (s === null) return null;
  const n = parseInt(s, 10);
  return Number.isFinite(n) ? n : null;
}

/** Decimal strings (DS) with multiplicity; null when absent or not all finite numbers. */
export function numbers(ds: DataSet, tag: string, count: number): number[] | null {
  const s = str(ds, tag);
  if (s === null) return null;
  const parts = s.split('\\').map((p) => Number(p.trim()));
  if (parts.length < count || parts.slice(0, count).some((n) => !Number.isFinite(n))) return null;
  return parts.slice(0, count);
}

function us(ds: DataSet, tag: string): number | null {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return null;
  return ds.uint16(tag) ?? null;
}

/** A US/SS value whose sign follows Pixel Representation (dicom-parser cannot know it in implicit VR). */
function pixelValued(ds: DataSet, tag: string, signed: boolean, bitsAllocated: number): number | null {
  const el = ds.elements[tag];
  if (!el || el.length < 2) return null;
  if (bitsAllocated > 16 && el.length >= 4) return signed ? (ds.int32(tag) ?? null) : (ds.uint32(tag) ?? null);
  const u = ds.uint16(tag);
  if (u === undefined) return null;
  return signed && u >= 0x8000 ? u - 0x10000 : u;
}

function firstItem(ds: DataSet | undefined, tag: string): DataSet | undefined {
  return ds?.elements[tag]?.items?.[0]?.dataSet;
}

/**
 * Plane geometry of one frame: per-frame group, else shared group, else the top level (classic images). An
 * attribute that is present but not a number (NaN, text, too few values) is recorded in `invalid`, never
 * read as absent: a NaN intercept must not become 0.
 */
function frameGeometry(groups: (DataSet | undefined)[], invalid: InvalidAttribute[]): FrameGeometry {
  const pick = <R>(seqTag: string | null, tag: string, name: string, count: number): R | null => {
    for (const g of groups) {
      if (!g) continue;
      const d = seqTag ? firstItem(g, seqTag) : g;
      if (!d) continue;
      const v = numbers(d, tag, count);
      if (v !== null) return v as R;
      const raw = str(d, tag);
      if (raw !== null && raw.trim() !== '' && invalid.length < 8) invalid.push({ tag: tagName(tag), name, value: raw });
    }
    return null;
  };
  const enhanced = groups.length > 1;
  const ipp = pick<Vec3>(enhanced ? T.planePositionSequence : null, T.imagePositionPatient, 'ImagePositionPatient', 3);
  const iop = pick<Iop>(enhanced ? T.planeOrientationSequence : null, T.imageOrientationPatient, 'ImageOrientationPatient', 6);
  const ps = pick<[number, number]>(enhanced ? T.pixelMeasuresSequence : null, T.pixelSpacing, 'PixelSpacing', 2);
  const thick = pick<number[]>(enhanced ? T.pixelMeasuresSequence : null, T.sliceThickness, 'SliceThickness', 1);
  const slope = pick<number[]>(enhanced ? T.pixelValueTransformationSequence : null, T.rescaleSlope, 'RescaleSlope', 1);
  const intercept = pick<number[]>(enhanced ? T.pixelValueTransformationSequence : null, T.rescaleIntercept, 'RescaleIntercept', 1);
  return {
    ipp,
    iop,
    pixelSpacing: ps,
    sliceThickness: thick ? thick[0] : null,
    // A zero slope is kept (and rejected by limits.ts for CT) rather than quietly replaced by 1.
    rescaleSlope: slope ? slope[0] : 1,
    rescaleIntercept: intercept ? intercept[0] : 0,
  };
}

/** NumberOfFrames (IS), checked against the limit before anything is made per frame. */
function frameCount(ds: DataSet): number {
  const raw = str(ds, T.numberOfFrames);
  const n = raw === null ? 1 : Number(raw.trim());
  checkFrameCount(n, raw);
  return n;
}

function pixelInfo(ds: DataSet): PixelInfo | null {
  const rows = us(ds, T.rows);
  const columns = us(ds, T.columns);
  const bitsAllocated = us(ds, T.bitsAllocated);
  if (rows === null || columns === null || bitsAllocated === null) return null;
  const bitsStored = us(ds, T.bitsStored) ?? bitsAllocated;
  const pixelRepresentation = us(ds, T.pixelRepresentation) ?? 0;
  const signed = pixelRepresentation === 1;
  return {
    rows,
    columns,
    bitsAllocated,
    bitsStored,
    highBit: us(ds, T.highBit) ?? bitsStored - 1,
    pixelRepresentation,
    samplesPerPixel: us(ds, T.samplesPerPixel) ?? 1,
    photometricInterpretation: str(ds, T.photometricInterpretation) ?? 'MONOCHROME2',
    numberOfFrames: frameCount(ds),
    paddingValue: pixelValued(ds, T.pixelPaddingValue, signed, bitsAllocated),
    paddingRangeLimit: pixelValued(ds, T.pixelPaddingRangeLimit, signed, bitsAllocated),
  };
}

export interface FileFacts {
  file: string;
  size: number;
  mtimeMs: number;
  transferSyntaxUID: string;
}

/** Throws an Error with a reader-facing reason when a required attribute is missing. */
export function dataSetToHeader(ds: DataSet, facts: FileFacts): DicomHeader {
  const need = (tag: string, name: string): string => {
    const v = str(ds, tag);
    if (!v) throw new Error(`missing ${name} ${tag.slice(1, 5)},${tag.slice(5)}`);
    return v;
  };
  const sopInstanceUID = need(T.sopInstanceUID, 'SOPInstanceUID');
  const studyInstanceUID = need(T.studyInstanceUID, 'StudyInstanceUID');
  const seriesInstanceUID = need(T.seriesInstanceUID, 'SeriesInstanceUID');
  const pixel = pixelInfo(ds);
  const pd = ds.elements[T.pixelData];
  const pixelData: PixelDataLocation | null = pd
    ? { offset: pd.dataOffset, length: pd.hadUndefinedLength ? -1 : pd.length, encapsulated: pd.hadUndefinedLength === true }
    : null;

  const perFrame = ds.elements[T.perFrameFunctionalGroups]?.items ?? [];
  const shared = firstItem(ds, T.sharedFunctionalGroups);
  const enhanced = perFrame.length > 0 || shared !== undefined;
  const frames: FrameGeometry[] = [];
  const invalid: InvalidAttribute[] = [];
  if (pixel && pixelData) {
    for (let f = 0; f < pixel.numberOfFrames; f++) {
      frames.push(enhanced ? frameGeometry([perFrame[f]?.dataSet, shared, ds], invalid) : frameGeometry([ds], invalid));
    }
  }
  const imageType = (str(ds, T.imageType) ?? '').split('\\').map((s) => s.trim().toUpperCase()).filter(Boolean);
  return {
    file: facts.file,
    size: facts.size,
    mtimeMs: facts.mtimeMs,
    transferSyntaxUID: facts.transferSyntaxUID,
    sopClassUID: str(ds, T.sopClassUID) ?? str(ds, T.mediaStorageSOPClassUID) ?? '',
    sopInstanceUID,
    patient: {
      patientId: str(ds, T.patientID) ?? '',
      patientName: str(ds, T.patientName) ?? '',
      birthDate: str(ds, T.patientBirthDate),
      sex: str(ds, T.patientSex),
    },
    study: {
      studyInstanceUID,
      studyDate: str(ds, T.studyDate),
      studyTime: str(ds, T.studyTime),
      description: str(ds, T.studyDescription),
      accessionNumber: str(ds, T.accessionNumber),
      patientAge: str(ds, T.patientAge),
    },
    seriesInstanceUID,
    seriesNumber: int(ds, T.seriesNumber),
    seriesDescription: str(ds, T.seriesDescription),
    modality: str(ds, T.modality) ?? '',
    bodyPart: str(ds, T.bodyPartExamined),
    imageType,
    instanceNumber: int(ds, T.instanceNumber),
    acquisitionNumber: int(ds, T.acquisitionNumber),
    frameOfReferenceUID: str(ds, T.frameOfReferenceUID),
    pixel: pixelData ? pixel : null,
    pixelData: pixel ? pixelData : null,
    frames,
    enhanced,
    invalid,
  };
}
