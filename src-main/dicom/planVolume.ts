// Decides whether a series part becomes a volume, and lays out its grid: the end of phase 1.
import type { Warning } from '../shared/types';
import { checkGeometry } from './checkGeometry';
import { validateGrid } from './limits';
import { resampledGeometry } from './resampleGrid';
import { sortSlices } from './sortSlices';
import { volumeGeometry } from './volumeGeometry';
import type { SeriesGroup, VolumePlan } from './types';

export interface PlanResult {
  plan: VolumePlan | null;
  warnings: Warning[];
  /** Set when a limit (dicom/limits.ts) refuses the part: the reason, also the last warning. */
  refused?: string;
}

export function planVolume(group: SeriesGroup): PlanResult {
  const warnings: Warning[] = [];
  const notVolume = (message: string): PlanResult => ({ plan: null, warnings: [...warnings, { code: 'not_volume', message }] });
  if (group.isLocalizer) {
    return { plan: null, warnings: [{ code: 'localizer', message: 'Localizer (scout) image: listed, not built as a volume' }] };
  }
  const h0 = group.instances[0];
  if (!h0.pixel) return notVolume(`No image pixel data (SOP class ${h0.sopClassUID || 'unknown'})`);
  if (group.slices.length === 0) return notVolume('Images lack ImagePositionPatient, ImageOrientationPatient or PixelSpacing: no 3D geometry');
  if (group.modality !== 'CT') return notVolume(`Modality ${group.modality || 'unknown'}: Pulmo builds volumes (in HU) for CT only`);
  const p = h0.pixel;
  if (p.samplesPerPixel !== 1 || !p.photometricInterpretation.startsWith('MONOCHROME')) {
    return notVolume(`${p.photometricInterpretation} with ${p.samplesPerPixel} samples per pixel is not a grayscale CT image`);
  }
  if (![8, 16, 32].includes(p.bitsAllocated) || p.bitsStored > p.bitsAllocated || p.bitsStored < 1) {
    return notVolume(`Unsupported pixel format: BitsAllocated ${p.bitsAllocated}, BitsStored ${p.bitsStored}`);
  }

  const check = checkGeometry(sortSlices(group.slices));
  warnings.push(...check.warnings);
  if (!check.layout) return { plan: null, warnings };
  const layout = check.layout;
  const files: VolumePlan['files'] = {};
  const used = new Set((layout.kind === 'regular' ? layout.slices : layout.sources).map((s) => s.file));
  for (const h of group.instances) {
    if (used.has(h.file) && h.pixelData && h.pixel) files[h.file] = { transferSyntaxUID: h.transferSyntaxUID, pixelData: h.pixelData, pixel: h.pixel };
  }
  const refuse = (geometry: VolumePlan['geometry']): PlanResult | null => {
    const problem = validateGrid(geometry);
    if (!problem) return null;
    const refused = `Not built as a volume: the grid would be ${problem}`;
    return { plan: null, warnings: [...warnings, { code: 'not_volume', message: refused }], refused };
  };
  if (layout.kind === 'resampled') {
    const grid = resampledGeometry(layout, p.columns, p.rows);
    const refused = refuse(grid.geometry);
    if (refused) return refused;
    const resample = { sources: layout.sources, origins: grid.origins, planes: layout.planes };
    return { plan: { geometry: grid.geometry, slices: [], resample, pixel: p, files }, warnings };
  }
  const geometry = volumeGeometry(layout, p.columns, p.rows);
  const refused = refuse(geometry);
  if (refused) return refused;
  const slices: VolumePlan['slices'] = new Array(layout.depth).fill(null);
  layout.slices.forEach((s, i) => (slices[layout.k[i]] = s));
  // Missing planes (left empty) have no Instance Number; the viewer shows one only where the slice has it. Frames
  // of one multi-frame instance share its number, which names no single image: none is recorded then.
  const oneImagePerSlice = new Set(layout.slices.map((s) => s.sopInstanceUID)).size === layout.slices.length;
  if (oneImagePerSlice && slices.some((s) => s?.instanceNumber != null)) geometry.instanceNumbers = slices.map((s) => s?.instanceNumber ?? null);
  return { plan: { geometry, slices, pixel: p, files }, warnings };
}
