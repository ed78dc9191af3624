// cases.*: the worklist and opening one series.
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { getSeries, listStudies } from '../store/cases';
import { ApiError } from '../shared/errors';

export function caseHandlers(ctx: AppContext): Pick<Handlers, 'cases.list' | 'cases.open'> {
  return {
    'cases.list': (q) => listStudies(ctx.db, q),
    'cases.open': ({ seriesInstanceUID, volumeId }) => {
      const found = getSeries(ctx.db, seriesInstanceUID, volumeId);
      if (!found) throw new ApiError('not_found', `No series ${seriesInstanceUID}${volumeId ? ` with volume ${volumeId}` : ''} in the case index`);
      const { cachePath: _unused, patientAgeAtStudy: _age, ...detail } = found;
      return detail;
    },
  };
}
