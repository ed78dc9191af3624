// Listener faults: a peer that drops the association mid-series (what arrived is kept and marked incomplete; a
// re-send completes it), a malformed data set over the wire, a port already in use — each a clear message,
// nothing lost, and the listener keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { newUid, writeCtSeries, type WrittenSeries } from '../../fixtures/dicom/ctSeries';
import { freePort } from '../../fixtures/net/orthanc';
import { runTool, seriesVoxels, startPulmo, type PulmoNet } from '../../fixtures/net/pulmoNet';
import { storeRaw } from '../../fixtures/net/rawDimse';
import { Client, CStoreRequest, Status } from '../../../src-main/net/dimse';

describe('DICOM listener faults', () => {
  const root = tempDir('net-faults');
  let pulmo: PulmoNet;
  let series: WrittenSeries;
  const echoOk = async (): Promise<boolean> => (await runTool('echoscu', ['-aet', 'SCANNER', '-aec', 'PULMO', '127.0.0.1', String(pulmo.port)])).status === 0;

  beforeAll(async () => {
    buildMain();
    pulmo = await startPulmo(path.join(root, 'data'), await freePort(), { allowedCallers: ['SCANNER'] });
    series = writeCtSeries({ dir: path.join(root, 'ct'), rows: 64, columns: 64, slices: 10, pixelSpacing: [0.7, 0.7], sliceStep: 1.5, origin: [0, 0, 0] });
  });
  afterAll(async () => {
    await pulmo?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('keeps what arrived when the peer aborts mid-series, marks it incomplete, and a re-send completes it', async () => {
    // dcmjs-dimse as the sending modality: A-ABORT after the 4th C-STORE response.
    let responses = 0;
    await new Promise<void>((resolve) => {
      const client = new Client();
      for (const f of series.files) {
        const req = new CStoreRequest(f);
        req.on('response', () => {
          if (++responses === 4) client.abort();
        });
        client.addRequest(req);
      }
      client.on('closed', () => resolve());
      client.on('networkError', () => resolve());
      client.send('127.0.0.1', pulmo.port, 'SCANNER', 'PULMO');
    });
    await new Promise((r) => setTimeout(r, 200));
    await pulmo.s.listener.idle();
    const [aborted] = await pulmo.s.handlers['dicom.receptions']({ limit: 1 });
    expect(aborted.state).toBe('aborted');
    expect(aborted.instances).toBeGreaterThanOrEqual(4);
    expect(aborted.instances).toBeLessThan(10);
    expect(aborted.incompleteSeries).toEqual([series.seriesUID]);
    expect(aborted.message).toMatch(/association aborted .*instances that arrived are kept/);
    const partial = pulmo.s.handlers['cases.open']({ seriesInstanceUID: series.seriesUID }) as { volume: { geometry: { dims: number[] } } | null };
    expect(partial.volume).not.toBeNull();
    expect(await echoOk()).toBe(true);

    // The modality sends the whole series again (dcmtk storescu): the series is complete, with all 10 slices.
    const r = await runTool('storescu', ['-aet', 'SCANNER', '-aec', 'PULMO', '127.0.0.1', String(pulmo.port), ...series.files]);
    expect(r.status, r.stderr).toBe(0);
    await pulmo.s.listener.idle();
    const [complete] = await pulmo.s.handlers['dicom.receptions']({ limit: 1 });
    expect(complete).toMatchObject({ state: 'complete', instances: 10, incompleteSeries: [] });
    expect((await pulmo.s.handlers['dicom.receptions']({ limit: 50 })).find((x) => x.id === aborted.id)!.incompleteSeries).toEqual([]);
    const v = seriesVoxels(pulmo.ctx, pulmo.s, series.seriesUID);
    expect(v.voxels.length).toBe(64 * 64 * 10 * 2);
    const count = pulmo.ctx.db.prepare('SELECT COUNT(*) AS n FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_uid = ?').get(series.seriesUID) as { n: number };
    expect(count.n).toBe(10);
  });

  it('refuses a malformed data set with a failure status, names it, and keeps serving', async () => {
    const sop = newUid();
    const garbage = Buffer.concat([Buffer.from([0x08, 0x00, 0x16, 0x00, 0x55, 0x49, 0xff, 0x7f]), Buffer.from('not a data set at all, just bytes'.repeat(3))]);
    const r = await storeRaw(pulmo.port, 'SCANNER', 'PULMO', sop, garbage);
    expect(r.accepted).toBe(true);
    expect(r.status).not.toBeNull();
    expect(r.status).not.toBe(Status.Success);
    await pulmo.s.listener.idle();
    const [rec] = await pulmo.s.handlers['dicom.receptions']({ limit: 1 });
    expect(rec).toMatchObject({ state: 'complete', instances: 0, failed: 1 });
    const job = pulmo.s.jobs.get(rec.jobId!)!.status;
    expect(job.errors[0].file).toContain(sop);
    expect(job.errors[0].reason).toMatch(/unreadable data set/);
    // Nothing of it is left in the spool.
    expect(fs.readdirSync(path.join(pulmo.ctx.dataDir, 'received', '.incoming'))).toEqual([]);
    // The association itself ended normally; the listener answers the next one.
    expect(await echoOk()).toBe(true);
  });

  it('refuses a data set whose UIDs are not UIDs (they would become file names)', async () => {
    const evil = writeCtSeries({ dir: path.join(root, 'evil'), rows: 8, columns: 8, slices: 1, pixelSpacing: [1, 1], sliceStep: 1, origin: [0, 0, 0], seriesUID: '1.2.3/../../../etc' });
    const r = await runTool('storescu', ['-v', '-aet', 'SCANNER', '-aec', 'PULMO', '127.0.0.1', String(pulmo.port), ...evil.files]);
    expect(r.stderr + r.stdout, r.stderr + r.stdout).toMatch(/Received Store Response \((?!Success)/);
    await pulmo.s.listener.idle();
    const [rec] = await pulmo.s.handlers['dicom.receptions']({ limit: 1 });
    expect(rec).toMatchObject({ instances: 0, failed: 1 });
    expect(pulmo.s.jobs.get(rec.jobId!)!.status.errors[0].reason).toMatch(/Series Instance UID is not a valid UID/);
    expect(fs.existsSync(path.join(pulmo.ctx.dataDir, 'etc'))).toBe(false);
    expect(await echoOk()).toBe(true);
  });

  it('says clearly when the listener port is already in use', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const other = await startPulmo(path.join(root, 'data2'), port);
      const st = other.s.listener.status();
      expect(st.running).toBe(false);
      expect(st.error).toBe(`DICOM listener PULMO: port ${port} on 127.0.0.1 is already in use (another Pulmo, storescp or PACS is listening there); choose another port`);
      expect(other.logs.join('\n')).toContain('already in use');
      await other.close();
    } finally {
      blocker.close();
    }
    expect(await echoOk()).toBe(true);
  });
});
