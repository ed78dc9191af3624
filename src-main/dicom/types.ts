// Plain data passed between the import phases (and across the worker boundary, so no classes or functions).
// Units: millimetres; coordinates: DICOM LPS.
import type { Vec3, VolumeGeometry } from '../shared/geometry';
import type { PatientInfo, StudyInfo, Warning } from '../shared/types';

/** Image Pixel module values needed to turn stored values into HU. */
export interface PixelInfo {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: number; // 0 unsigned, 1 two's complement
  samplesPerPixel: number;
  photometricInterpretation: string;
  numberOfFrames: number;
  /** Pixel Padding Value (and Range Limit) as stored values, already read with the pixel representation's sign. */
  paddingValue: number | null;
  paddingRangeLimit: number | null;
}

/** Where the Pixel Data element lies in the file (from phase 1; phase 2 reads only these bytes for native syntaxes). */
export interface PixelDataLocation {
  offset: number;
  /** Byte length; -1 when undefined (encapsulated). */
  length: number;
  encapsulated: boolean;
}

/** Per-frame plane geometry and value transform (one entry for classic single-frame images). */
export interface FrameGeometry {
  ipp: Vec3 | null;
  iop: [number, number, number, number, number, number] | null;
  /** [row spacing (between rows), column spacing (between columns)] in mm, as in PixelSpacing. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  rescaleSlope: number;
  rescaleIntercept: number;
}

export interface StudyHeader extends StudyInfo {
  studyTime: string | null;
  /** PatientAge (0010,1010) as recorded for this study, DICOM AS (e.g. '077Y'); null when absent. */
  patientAge?: string | null;
}

/** An attribute that is present but not a usable value (NaN, text, wrong multiplicity, zero slope). */
export interface InvalidAttribute {
  tag: string; // 'GGGG,EEEE'
  name: string;
  value: string;
}

export interface DicomHeader {
  file: string;
  size: number;
  mtimeMs: number;
  transferSyntaxUID: string;
  sopClassUID: string;
  sopInstanceUID: string;
  patient: PatientInfo;
  study: StudyHeader;
  seriesInstanceUID: string;
  seriesNumber: number | null;
  seriesDescription: string | null;
  modality: string;
  bodyPart: string | null;
  imageType: string[];
  instanceNumber: number | null;
  acquisitionNumber: number | null;
  frameOfReferenceUID: string | null;
  pixel: PixelInfo | null;
  pixelData: PixelDataLocation | null;
  /** One entry per frame; empty for objects without pixel data. */
  frames: FrameGeometry[];
  /** True for Enhanced (multi-frame functional group) objects. */
  enhanced: boolean;
  /** Attributes present with unusable values (checked by limits.validateHeader, which rejects the file). */
  invalid: InvalidAttribute[];
}

/** One 2D image of a series: a classic instance or one frame of a multi-frame instance. */
export interface SliceRef {
  file: string;
  sopInstanceUID: string;
  frameIndex: number;
  instanceNumber: number | null;
  ipp: Vec3;
  iop: [number, number, number, number, number, number];
  pixelSpacing: [number, number];
  rescaleSlope: number;
  rescaleIntercept: number;
}

/** One part of a DICOM series: the unit that gets a row in `series` and (at most) one volume. */
export interface SeriesGroup {
  patient: PatientInfo;
  study: StudyHeader;
  seriesInstanceUID: string;
  partKey: string;
  seriesNumber: number | null;
  seriesDescription: string | null;
  modality: string;
  bodyPart: string | null;
  sliceThickness: number | null;
  isLocalizer: boolean;
  /** Every instance of this part (deduplicated by SOPInstanceUID). */
  instances: DicomHeader[];
  /** The image frames usable for a volume (empty when the part cannot be one). */
  slices: SliceRef[];
  warnings: Warning[];
}

/** How one output plane is made: (1 - w) * sources[a] + w * sources[b]; w = 0 is sources[a] alone. */
export interface PlaneBlend {
  a: number;
  b: number;
  w: number;
}

/**
 * Resampling of a stack that is not a regular grid (irregular spacing, gantry tilt) onto one: each output plane
 * blends the two acquired slices around it, each shifted in-plane onto the orthonormal grid (bilinear).
 */
export interface ResamplePlan {
  /** Acquired slices, ascending along the normal. */
  sources: SliceRef[];
  /** Where each source's pixel (0, 0) lies in the output plane, in voxels [i, j] (fractional: interpolated). */
  origins: [number, number][];
  /** One entry per output plane k; null: no data there (a gap too wide to interpolate, or a missing slice). */
  planes: (PlaneBlend | null)[];
}

/**
 * What phase 2 needs to fill one volume: a regular grid and the slice for each k (null = missing, filled), or,
 * with `resample`, the recipe for each plane (`slices` is then empty).
 */
export interface VolumePlan {
  geometry: VolumeGeometry;
  slices: (SliceRef | null)[];
  resample?: ResamplePlan;
  /** Pixel format shared by every slice (checked at grouping). */
  pixel: PixelInfo;
  /** Transfer syntax and Pixel Data location of each file used. */
  files: Record<string, { transferSyntaxUID: string; pixelData: PixelDataLocation; pixel: PixelInfo }>;
}
