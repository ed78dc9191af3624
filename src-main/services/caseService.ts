// cases.*: the worklist and opening one series.
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { getSeries, listStudies } from '../store/cases';
import { ApiError } from '../shared/errors';
import { reviewSummary } from './review/worklistStatus';

export function caseHandlers(ctx: AppContext): Pick<Handlers, 'cases.list' | 'cases.open'> {
  return {
    'cases.list': (q) => {
      const list = listStudies(ctx.db, q);
      for (const st of list.studies) for (const se of st.series) if (se.volumeId) se.review = reviewSummary(ctx.db, se.seriesInstanceUID);
      return list;
    },
    'cases.open': ({ seriesInstanceUID, volumeId }) => {
      const found = getSeries(ctx.db, seriesInstanceUID, volumeId);
      if (!found) throw new ApiError('not_found', `No series ${seriesInstanceUID}${volumeId ? ` with volume ${volumeId}` : ''} in the case index`);
      const { cachePath: _unused, patientAgeAtStudy: _age, ...detail } = found;
      return detail;
    },
  };
}
