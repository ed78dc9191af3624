// Commits one series part in ONE transaction: patient, study, series, its new instances, and its volume
// (replacing an older volume of the same part). Called only after the volume cache file is renamed into
// place, so a crash at any moment leaves either the whole part or none of it in the index.
import type { Db } from '../../store/db';
import { upsertPatient, upsertStudy } from '../../store/patients';
import { upsertSeries } from '../../store/series';
import { insertInstances, type InstanceRowInput } from '../../store/instances';
import { deleteVolume, insertVolume, volumesOfSeries, type VolumeRowInput } from '../../store/volumes';
import type { SeriesGroup } from '../../dicom/types';
import type { Warning } from '../../shared/types';

export interface CommitInput {
  group: SeriesGroup;
  newInstances: InstanceRowInput[];
  /** Warnings about the part itself (split, localizer, not a volume); the volume row holds its geometry warnings. */
  seriesWarnings: Warning[];
  volume: VolumeRowInput | null;
}

export interface CommitResult {
  seriesRef: number;
  instancesInserted: number;
  /** Cache paths of volumes this commit replaced; delete the files after the commit. */
  replacedCachePaths: string[];
}

export function commitSeries(db: Db, c: CommitInput): CommitResult {
  const now = new Date().toISOString();
  return db.transaction((): CommitResult => {
    const patientRef = upsertPatient(db, c.group.patient);
    const studyRef = upsertStudy(db, patientRef, c.group.study, now);
    const seriesRef = upsertSeries(
      db,
      studyRef,
      {
        seriesInstanceUID: c.group.seriesInstanceUID,
        partKey: c.group.partKey,
        modality: c.group.modality,
        seriesNumber: c.group.seriesNumber,
        description: c.group.seriesDescription,
        bodyPart: c.group.bodyPart,
        sliceThickness: c.group.sliceThickness,
        isLocalizer: c.group.isLocalizer,
        warnings: c.seriesWarnings,
      },
      now,
    );
    const instancesInserted = insertInstances(db, seriesRef, c.newInstances);
    const replacedCachePaths: string[] = [];
    if (c.volume) {
      for (const old of volumesOfSeries(db, seriesRef)) {
        deleteVolume(db, old.id);
        replacedCachePaths.push(old.cachePath);
      }
      insertVolume(db, seriesRef, c.volume, now);
    }
    return { seriesRef, instancesInserted, replacedCachePaths };
  })();
}
