// The worklist's review columns for one series: status new → CAD done → in review → signed (→ addended), the CAD
// mark count at the operating point, and the exam Lung-RADS (of the signed version, else of the read so far).
import type { Db } from '../../store/db';
import { localReadOfSeries, seriesReviewFacts } from '../../store/reads';
import type { Read } from '../../shared/readTypes';
import type { SeriesSummary } from '../../shared/types';
import { assembleRead } from './readModel';
import { DEFAULT_MIN_SCORE } from './readService';

export function reviewSummary(db: Db, seriesInstanceUID: string): NonNullable<SeriesSummary['review']> {
  const f = seriesReviewFacts(db, seriesInstanceUID, localReadOfSeries(db, seriesInstanceUID)?.min_score ?? DEFAULT_MIN_SCORE);
  const r = f.read;
  const status = !r ? (f.cadCount !== null ? 'cad-done' : 'new') : r.state === 'signed' ? 'signed' : r.state === 'addended' || r.state === 'addendum' ? 'addended' : 'in-review';
  let examCategory: string | null = null;
  if (f.signedSnapshot) examCategory = (JSON.parse(f.signedSnapshot) as Read).conclusion.category;
  else if (r && r.first_read_done_at) examCategory = assembleRead(db, r).conclusion.category;
  return { status, cadCount: f.cadCount, examCategory };
}
