// Importing an LIDC crop also imports its reader XML as reference findings, placed where the readers drew them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices, type Services } from '../../../src-main/services';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine } from '../../../src-main/services/import/engine';
import { lpsToIjk } from '../../../src-main/shared/geometry';
import { sharedData } from '../../fixtures/dicom/paths';

let dir: string;
let ctx: AppContext;
let services: Services;
const crop = path.join(sharedData, 'lidc-idri', 'LIDC-IDRI-0001');

async function importCrop() {
  const job = services.jobs.create('import');
  const summary = await runImport(ctx, job, [crop], new InlineEngine());
  expect(summary.errors.filter((e) => !/not DICOM/.test(e.reason))).toEqual([]);
  return summary;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-lidcref-'));
  ctx = createContext({ dataDir: dir });
  services = createServices(ctx);
});
afterAll(() => {
  ctx.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('LIDC reference reads at import', () => {
  it('stores the 4-reader nodule of LIDC-IDRI-0001 with contours on the crop, once even after a re-import', async () => {
    const uid = (await importCrop()).series[0].seriesInstanceUID;
    const refs = await services.handlers['findings.list']({ seriesInstanceUID: uid, source: 'reference' });
    expect(refs.length).toBeGreaterThan(0);
    const main = refs.find((f) => /4\/4|4 of 4|\(4/.test(f.label)) ?? refs[0];
    expect(main.source).toBe('reference');
    expect(main.contours.length).toBeGreaterThan(0);
    // The README says the crop holds the nodule at z -125 to -105 mm.
    expect(main.centerLPS[2]).toBeGreaterThan(-126);
    expect(main.centerLPS[2]).toBeLessThan(-104);
    const detail = await services.handlers['cases.open']({ seriesInstanceUID: uid });
    const ijk = lpsToIjk(detail.volume!.geometry, main.contours[0].pointsLPS[0]);
    expect(Math.abs(ijk[2] - Math.round(ijk[2]))).toBeLessThan(1e-3); // each contour lies on a slice of the volume
    const cases = await services.handlers['cases.list']({ sort: 'importedAt', order: 'desc', offset: 0, limit: 10 });
    await importCrop();
    const after = await services.handlers['cases.list']({ sort: 'importedAt', order: 'desc', offset: 0, limit: 10 });
    expect(after.total).toBe(cases.total);
    const again = await services.handlers['findings.list']({ seriesInstanceUID: uid, source: 'reference' });
    expect(again.map((f) => f.id)).toEqual(refs.map((f) => f.id));
  });
});
