// Phase 1 grouping: instances -> series (by SeriesInstanceUID) -> parts. A series is split where its images
// cannot form one volume: different orientation, image size, pixel spacing or pixel format, or (when that is
// what separates slices at the same position) different acquisitions. Instances are deduplicated by SOP UID.
import type { FileError, Warning } from '../shared/types';
import { cross, dot, type Vec3 } from '../shared/geometry';
import type { DicomHeader, SeriesGroup, SliceRef } from './types';

export interface GroupResult {
  groups: SeriesGroup[];
  /** Files left out because an earlier file holds the same SOPInstanceUID. */
  duplicates: FileError[];
}

const ORIENTATION_TOL = 1e-3; // |1 - dot| for direction cosines to count as the same orientation

function slicesOf(h: DicomHeader): SliceRef[] {
  const out: SliceRef[] = [];
  h.frames.forEach((f, frameIndex) => {
    if (!f.ipp || !f.iop || !f.pixelSpacing) return;
    out.push({
      file: h.file,
      sopInstanceUID: h.sopInstanceUID,
      frameIndex,
      instanceNumber: h.instanceNumber,
      ipp: f.ipp,
      iop: f.iop,
      pixelSpacing: f.pixelSpacing,
      rescaleSlope: f.rescaleSlope,
      rescaleIntercept: f.rescaleIntercept,
    });
  });
  return out;
}

const r3 = (v: number): string => {
  const s = v.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
};

function sameOrientation(a: number[], b: number[]): boolean {
  const row = dot(a.slice(0, 3) as Vec3, b.slice(0, 3) as Vec3);
  const col = dot(a.slice(3, 6) as Vec3, b.slice(3, 6) as Vec3);
  return 1 - row < ORIENTATION_TOL && 1 - col < ORIENTATION_TOL;
}

/** Is the image plane (close to) axial? Its normal along ±z (LPS superior). */
export function isAxial(iop: number[]): boolean {
  const n = cross(iop.slice(0, 3) as Vec3, iop.slice(3, 6) as Vec3);
  return Math.abs(n[2]) > 0.9;
}

interface Part {
  key: string;
  instances: DicomHeader[];
  slices: SliceRef[];
  orientation: number[] | null;
}

function partsOfSeries(instances: DicomHeader[]): Part[] {
  const parts: Part[] = [];
  const orientations: number[][] = [];
  for (const h of instances) {
    const slices = slicesOf(h);
    let key: string;
    let orientation: number[] | null = null;
    if (!h.pixel) key = 'no-image';
    else if (slices.length === 0) key = `${h.pixel.columns}x${h.pixel.rows}|no-geometry`;
    else {
      // Cluster orientations with a tolerance so float noise in IOP never splits a series.
      const iop = slices[0].iop;
      orientation = orientations.find((o) => sameOrientation(o, iop)) ?? null;
      if (!orientation) {
        orientation = [...iop];
        orientations.push(orientation);
      }
      const p = h.pixel;
      key = [
        `${p.columns}x${p.rows}`,
        orientation.map(r3).join(','),
        `${slices[0].pixelSpacing.map((v) => v.toFixed(4)).join(',')}`,
        `${p.bitsAllocated}b${p.samplesPerPixel}s`,
      ].join('|');
    }
    let part = parts.find((x) => x.key === key);
    if (!part) parts.push((part = { key, instances: [], slices: [], orientation }));
    part.instances.push(h);
    part.slices.push(...slices);
  }
  return parts.flatMap(splitByAcquisition);
}

/** Two acquisitions in one series put two slices at one position: split them when that explains every duplicate. */
function splitByAcquisition(part: Part): Part[] {
  if (!part.orientation || part.slices.length < 2) return [part];
  const n = cross(part.orientation.slice(0, 3) as Vec3, part.orientation.slice(3, 6) as Vec3);
  const posKey = (s: SliceRef): string => dot(s.ipp, n).toFixed(2);
  const hasDup = (slices: SliceRef[]): boolean => new Set(slices.map(posKey)).size < slices.length;
  if (!hasDup(part.slices)) return [part];
  const acqs = [...new Set(part.instances.map((h) => h.acquisitionNumber ?? -1))];
  if (acqs.length < 2) return [part];
  const byAcq = acqs.sort((a, b) => a - b).map((a) => {
    const instances = part.instances.filter((h) => (h.acquisitionNumber ?? -1) === a);
    const sops = new Set(instances.map((h) => h.sopInstanceUID));
    return { key: `${part.key}|acq${a}`, instances, slices: part.slices.filter((s) => sops.has(s.sopInstanceUID)), orientation: part.orientation };
  });
  return byAcq.some((p) => hasDup(p.slices)) ? [part] : byAcq;
}

export function groupSeries(headers: DicomHeader[]): GroupResult {
  const duplicates: FileError[] = [];
  const bySop = new Map<string, DicomHeader>();
  const bySeries = new Map<string, DicomHeader[]>();
  for (const h of headers) {
    const first = bySop.get(h.sopInstanceUID);
    if (first) {
      duplicates.push({ file: h.file, code: 'duplicate', reason: `duplicate of ${first.file} (same SOPInstanceUID ${h.sopInstanceUID}); skipped` });
      continue;
    }
    bySop.set(h.sopInstanceUID, h);
    const list = bySeries.get(h.seriesInstanceUID);
    if (list) list.push(h);
    else bySeries.set(h.seriesInstanceUID, [h]);
  }

  const groups: SeriesGroup[] = [];
  for (const [seriesUID, instances] of bySeries) {
    instances.sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0));
    const parts = partsOfSeries(instances);
    const imageParts = parts.filter((p) => p.orientation !== null);
    for (const part of parts) {
      const h0 = part.instances[0];
      const warnings: Warning[] = [];
      const isLocalizer =
        part.instances.some((h) => h.imageType.includes('LOCALIZER')) ||
        (part.slices.length === 1 && part.orientation !== null && !isAxial(part.orientation));
      if (imageParts.length > 1 && part.orientation) {
        warnings.push({
          code: 'mixed_orientation',
          message: `Series ${seriesUID} holds images of ${imageParts.length} orientations, sizes or acquisitions; it is split into ${imageParts.length} parts (this one: ${part.slices.length} images)`,
        });
      }
      groups.push({
        patient: h0.patient,
        study: h0.study,
        seriesInstanceUID: seriesUID,
        partKey: part.key,
        seriesNumber: h0.seriesNumber,
        seriesDescription: h0.seriesDescription,
        modality: h0.modality,
        bodyPart: h0.bodyPart,
        sliceThickness: h0.frames[0]?.sliceThickness ?? null,
        isLocalizer,
        instances: part.instances,
        slices: part.slices,
        warnings,
      });
    }
  }
  return { groups, duplicates };
}
