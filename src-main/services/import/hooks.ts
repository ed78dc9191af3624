// What runs after each series part is committed: today, LIDC reader XML beside the files becomes reference
// findings. A new step is a function of type AfterSeriesImported (hookTypes.ts) added to this list.
import type { AppContext } from '../context';
import { importLidcReferenceReads } from './lidcReferenceHook';
import type { AfterSeriesImported, ImportedSeriesInfo } from './hookTypes';

const hooks: readonly AfterSeriesImported[] = [importLidcReferenceReads];

/** Runs every registered hook; returns the messages of those that failed (the import goes on). */
export async function afterSeriesImported(ctx: AppContext, seriesInfo: ImportedSeriesInfo, files: string[]): Promise<string[]> {
  const failures: string[] = [];
  for (const h of hooks) {
    try {
      await h(ctx, seriesInfo, files);
    } catch (e) {
      failures.push(e instanceof Error ? e.message : String(e));
    }
  }
  return failures;
}
