// Extension point after each series part is committed. Built in: LIDC reader XML beside the files becomes
// reference findings. More hooks can be added with registerAfterSeriesImported.
import { errorMessage } from '../../shared/errorCodes';
import type { AppContext } from '../context';
import { importLidcReferenceReads } from './lidcReferenceHook';
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

const hooks: AfterSeriesImported[] = [importLidcReferenceReads];

export function registerAfterSeriesImported(hook: AfterSeriesImported): () => void {
  hooks.push(hook);
  return () => {
    const i = hooks.indexOf(hook);
    if (i >= 0) hooks.splice(i, 1);
  };
}

/** Runs every registered hook; returns the messages of those that failed (the import goes on). */
export async function afterSeriesImported(ctx: AppContext, seriesInfo: ImportedSeriesInfo, files: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const h of hooks) {
    try {
      await h(ctx, seriesInfo, files);
    } catch (e) {
      failures.push(errorMessage(e));
    }
  }
  return failures;
}
