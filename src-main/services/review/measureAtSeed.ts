// Segment and measure a nodule from a seed point on a stored volume with the same functions CAD uses
// (cad/measure/characterizeNodule), for reader-added nodules, re-segmentation on edit and masks of accepted marks.
import type { Db } from '../../store/db';
import { findVolume } from '../../store/volumes';
import { readVolumeCache } from '../../store/volumeCache';
import { characterizeNodule, type NoduleCharacteristics } from '../../cad/measure/characterizeNodule';
import type { HuVolume, Vec3 } from '../../shared/geometry';
import { ApiError } from '../../shared/errors';

const cache = new Map<string, HuVolume>();

/** The volume's voxels (one kept in memory: a read touches one volume many times). */
export function loadVolume(db: Db, volumesDir: string, volumeId: string): HuVolume {
  const hit = cache.get(volumeId);
  if (hit) return hit;
  const v = findVolume(db, volumeId);
  if (!v) throw new ApiError('not_found', `No volume ${volumeId}`);
  const vol = readVolumeCache(volumesDir, v.cachePath, v.geometry);
  cache.clear();
  cache.set(volumeId, vol);
  return vol;
}

export function measureAtSeed(vol: HuVolume, seedLPS: Vec3, radiusHintMm?: number): NoduleCharacteristics {
  const ch = characterizeNodule(vol, seedLPS, { radiusHintMm });
  if (!ch) throw new ApiError('validation', `Nothing to segment at (${seedLPS.map((x) => x.toFixed(1)).join(', ')}) mm LPS: no nodule denser than the surrounding lung there`, 'seedLPS');
  return ch;
}
