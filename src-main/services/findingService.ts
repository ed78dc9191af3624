// findings.list and measurements.*: findings are data; the viewer draws views of them.
import crypto from 'node:crypto';
import { writeAudit } from '../store/audit';
import { currentFindings } from '../store/findings';
import { deleteMeasurement, insertMeasurement, measurementRow, measurementsOfVolumes } from '../store/measurements';
import { volumeIdsOfSeries } from '../store/volumes';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { ApiError } from '../shared/errors';
import type { Measurement } from '../shared/types';
import type { Vec3 } from '../shared/geometry';
import { assertWritable } from './guards';

function volumeIdsOf(ctx: AppContext, seriesInstanceUID: string): string[] {
  const ids = volumeIdsOfSeries(ctx.db, seriesInstanceUID);
  if (!ids.length) throw new ApiError('not_found', `No volume for series ${seriesInstanceUID}`, 'seriesInstanceUID');
  return ids;
}

export function findingHandlers(ctx: AppContext): Pick<Handlers, 'findings.list' | 'measurements.add' | 'measurements.list' | 'measurements.delete'> {
  return {
    'findings.list': ({ seriesInstanceUID, source }) => currentFindings(ctx.db, volumeIdsOf(ctx, seriesInstanceUID), source),
    'measurements.add': ({ seriesInstanceUID, kind, pointsLPS, label }) => {
      assertWritable(ctx);
      const [volumeId] = volumeIdsOf(ctx, seriesInstanceUID);
      const [a, b] = pointsLPS as [Vec3, Vec3];
      const m: Measurement = {
        id: crypto.randomUUID(),
        seriesInstanceUID,
        kind,
        pointsLPS: [a, b],
        lengthMm: Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]),
        label: label ?? null,
        createdAt: new Date().toISOString(),
      };
      insertMeasurement(ctx.db, volumeId, m);
      return m;
    },
    'measurements.delete': ({ id }) => {
      assertWritable(ctx);
      const row = measurementRow(ctx.db, id);
      if (!row) return { deleted: false };
      // A reader's measurement is part of the record: deleting it leaves an audit row with what was removed.
      ctx.db.transaction(() => {
        deleteMeasurement(ctx.db, id);
        writeAudit(ctx.db, 'measurements.delete', row);
      })();
      return { deleted: true };
    },
    'measurements.list': ({ seriesInstanceUID }) => measurementsOfVolumes(ctx.db, volumeIdsOf(ctx, seriesInstanceUID), seriesInstanceUID),
  };
}
