// The built-in classical detector behind the one Detector contract (cad/detection.ts).
import { CAD_DEFAULT_OPERATING_POINT } from '../../shared/cadTypes';
import type { Detector } from '../detection';
import type { ClassicalDetectOptions } from './detectNodules';
import { detectNodules } from './detectNodules';

export function classicalDetector(ref: { id: string; version: string }, options: Omit<ClassicalDetectOptions, 'signal' | 'onProgress'> = {}): Detector {
  return {
    id: ref.id,
    version: ref.version,
    operatingPoint: CAD_DEFAULT_OPERATING_POINT,
    async detect(vol, opts = {}) {
      const r = await detectNodules(vol, { ...options, ...opts });
      return { candidates: r.candidates, rejected: r.rejected, timingsMs: r.timingsMs, lung: r.lung ? { zRangeMm: r.lung.zRangeMm, midlineXMm: r.lung.midlineXMm } : null };
    },
  };
}
