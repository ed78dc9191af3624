// The review services: the second read, the audit trail, reports and the SR round trip.
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import { listAudit } from '../../store/audit';
import { auditCsv } from '../../formats/csv/auditCsv';
import { readHandlers } from './readService';
import { exportReportFile } from './reportService';
import { importSr } from './importSr';

export function reviewWorkflowHandlers(ctx: AppContext): Pick<Handlers, keyof ReturnType<typeof readHandlers> | 'reads.importSr' | 'audit.list' | 'audit.exportCsv' | 'reports.export'> {
  return {
    ...readHandlers(ctx),
    'reads.importSr': ({ path }) => importSr(ctx, path),
    'audit.list': ({ seriesInstanceUID }) => listAudit(ctx.db, seriesInstanceUID),
    'audit.exportCsv': ({ seriesInstanceUID }) => {
      const bytes = auditCsv(listAudit(ctx.db, seriesInstanceUID, 1_000_000));
      return { fileName: `pulmo-audit${seriesInstanceUID ? '-' + seriesInstanceUID.slice(-12) : ''}.csv`, mime: 'text/csv', base64: bytes.toString('base64'), byteLength: bytes.length };
    },
    'reports.export': (req) => exportReportFile(ctx, req),
  };
}
