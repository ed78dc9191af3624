// The contract of a step that runs after a series part is committed (see hooks.ts for the list).
import type { AppContext } from '../context';
import type { VolumeGeometry } from '../../shared/geometry';

export interface ImportedSeriesInfo {
  seriesInstanceUID: string;
  partKey: string;
  studyInstanceUID: string;
  patientId: string;
  /** Row id in `series`. */
  seriesRef: number;
  volumeId: string | null;
  geometry: VolumeGeometry | null;
  /** SOP Instance UID -> file, for every instance of the part (new and already indexed). */
  sopToFile: Record<string, string>;
}

/** Files: every DICOM file of the part; a hook may look beside them (e.g. LIDC's NNN.xml). Throws -> a job error. */
export type AfterSeriesImported = (ctx: AppContext, seriesInfo: ImportedSeriesInfo, files: string[]) => void | Promise<void>;
