// DICOM networking against a real Orthanc (Debian's package, started here on free ports): C-ECHO both ways,
// Orthanc C-STOREs to Pulmo's listener, C-FIND, C-MOVE, C-GET, C-STORE of SR/SEG/PDF back, unknown AE refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries, type WrittenSeries } from '../../fixtures/dicom/ctSeries';
import { freePort, orthancAvailable, startOrthanc, uploadToOrthanc, type Orthanc } from '../../fixtures/net/orthanc';
import { jobDone, runTool, seriesVoxels, startPulmo, type PulmoNet } from '../../fixtures/net/pulmoNet';
import { writePdf, writeSeg, writeSr } from '../../fixtures/net/reports';
import type { ImportingJobStatus } from '../../../src-main/shared/types';
import { createContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';

const PATIENT = { patientId: 'NET-1' };

describe.skipIf(!orthancAvailable())('DIMSE against a real Orthanc', () => {
  const root = tempDir('net-dimse');
  let orthanc: Orthanc;
  let pulmo: PulmoNet;
  const series: Record<'pushed' | 'moved' | 'got', WrittenSeries> = {} as never;
  let studyUID = '';

  const lookup = async (uid: string): Promise<string> => {
    const r = await orthanc.rest<{ ID: string }[]>('/tools/lookup', { method: 'POST', body: uid });
    if (!r.length) throw new Error(`Orthanc does not know ${uid}`);
    return r[0].ID;
  };

  beforeAll(async () => {
    buildMain();
    const port = await freePort();
    orthanc = await startOrthanc({ modalities: { pulmo: { aet: 'PULMO', host: '127.0.0.1', port } } });
    pulmo = await startPulmo(path.join(root, 'data'), port);
    await pulmo.s.handlers['dicom.nodes.save']({ name: 'pacs', kind: 'dimse', aet: 'ORTHANC', host: '127.0.0.1', port: orthanc.dicomPort, tls: false, ops: ['echo', 'find', 'move', 'get', 'store'] });
    // Three series of one study: one Orthanc pushes, one Pulmo C-MOVEs, one Pulmo C-GETs.
    const first = writeCtSeries({ dir: path.join(root, 'src', 'pushed'), rows: 96, columns: 96, slices: 24, pixelSpacing: [0.8, 0.8], sliceStep: 1.25, origin: [-40, -40, -100], ...PATIENT });
    studyUID = first.studyUID;
    series.pushed = first;
    series.moved = writeCtSeries({ dir: path.join(root, 'src', 'moved'), rows: 64, columns: 64, slices: 12, pixelSpacing: [0.7, 0.7], sliceStep: 2, origin: [0, 0, 0], studyUID, ...PATIENT });
    series.got = writeCtSeries({ dir: path.join(root, 'src', 'got'), rows: 64, columns: 80, slices: 10, pixelSpacing: [0.6, 0.6], sliceStep: 2.5, origin: [5, 5, 5], studyUID, ...PATIENT });
    for (const w of Object.values(series)) await uploadToOrthanc(orthanc, w.files);
  });
  afterAll(async () => {
    await pulmo?.close();
    await orthanc?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('C-ECHO both ways: Pulmo → Orthanc, Orthanc → Pulmo, and dcmtk echoscu → Pulmo', async () => {
    const out = await pulmo.s.handlers['dicom.echo']({ node: 'pacs' });
    expect(out).toMatchObject({ node: 'pacs', ok: true, message: 'C-ECHO succeeded' });
    // Orthanc's REST API makes Orthanc the SCU towards its configured modality "pulmo" (our listener).
    await expect(orthanc.rest('/modalities/pulmo/echo', { method: 'POST', body: '{}' })).resolves.toBeDefined();
    const r = await runTool('echoscu', ['-aet', 'ORTHANC', '-aec', 'PULMO', '127.0.0.1', String(pulmo.port)]);
    expect(r.status, r.stderr).toBe(0);
    // A peer that is not there: a clear message, not a throw.
    const dead = await pulmo.s.handlers['dicom.echo']({ node: `ORTHANC@127.0.0.1:${await freePort()}` });
    expect(dead.ok).toBe(false);
    expect(dead.message).toMatch(/ECONNREFUSED|connection refused/);
  });

  it('refuses an unknown calling AE title, logs it, and keeps serving', async () => {
    const r = await runTool('echoscu', ['-aet', 'STRANGER', '-aec', 'PULMO', '127.0.0.1', String(pulmo.port)]);
    expect(r.status).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/Rejected|Calling AE Title Not Recognized/i);
    const wrongCalled = await runTool('echoscu', ['-aet', 'ORTHANC', '-aec', 'NOTPULMO', '127.0.0.1', String(pulmo.port)]);
    expect(wrongCalled.status).not.toBe(0);
    const rec = await pulmo.s.handlers['dicom.receptions']({ limit: 50 });
    expect(rec.find((x) => x.callingAet === 'STRANGER')).toMatchObject({ state: 'rejected', message: expect.stringMatching(/calling AE title "STRANGER" is not a known node/) });
    expect(rec.find((x) => x.state === 'rejected' && /called AE title "NOTPULMO"/.test(x.message ?? ''))).toBeDefined();
    expect(pulmo.logs.some((l) => /STRANGER.*rejected/.test(l))).toBe(true);
    expect((await runTool('echoscu', ['-aet', 'ORTHANC', '-aec', 'PULMO', '127.0.0.1', String(pulmo.port)])).status).toBe(0);
  });

  it('Orthanc C-STOREs a CT series to the listener: it reaches the worklist with the same voxels as a file import', async () => {
    const id = await lookup(series.pushed.seriesUID);
    await orthanc.rest('/modalities/pulmo/store', { method: 'POST', body: JSON.stringify({ Resources: [id], Synchronous: true }) });
    await pulmo.s.listener.idle();
    const list = await pulmo.s.handlers['cases.list']({ sort: 'importedAt', order: 'desc', offset: 0, limit: 50 });
    expect(list.studies.map((st) => st.study.studyInstanceUID)).toContain(studyUID);
    const rec = (await pulmo.s.handlers['dicom.receptions']({ limit: 50 })).find((x) => x.callingAet === 'ORTHANC' && x.state === 'complete' && x.instances > 0);
    expect(rec).toMatchObject({ instances: 24, failed: 0, incompleteSeries: [] });
    const job = pulmo.s.jobs.get(rec!.jobId!)!.status as ImportingJobStatus;
    expect(job).toMatchObject({ kind: 'receive', state: 'done' });
    expect(job.summary!.instancesImported).toBe(24);

    // The same files imported from disk into a second case index: byte-identical voxels and the same geometry.
    const ref = createContext({ dataDir: path.join(root, 'ref') });
    const refS = createServices(ref);
    try {
      const { jobId } = await refS.handlers['import.start']({ paths: [path.join(root, 'src', 'pushed')] });
      expect((await jobDone(refS, jobId)).state).toBe('done');
      const a = seriesVoxels(pulmo.ctx, pulmo.s, series.pushed.seriesUID);
      const b = seriesVoxels(ref, refS, series.pushed.seriesUID);
      expect(a.voxels.length).toBe(96 * 96 * 24 * 2);
      expect(a.voxels.equals(b.voxels)).toBe(true);
      expect(a.geometry).toEqual(b.geometry);
    } finally {
      ref.close();
    }
  });

  it('C-FINDs Orthanc at study and series level with filters', async () => {
    const studies = await pulmo.s.handlers['dicom.find']({ node: 'pacs', level: 'study', filters: { patientId: 'NET-1' } });
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({ studyInstanceUID: studyUID, patientId: 'NET-1', patientName: 'Test^Patient', modalities: 'CT', numberOfInstances: 46 });
    expect(await pulmo.s.handlers['dicom.find']({ node: 'pacs', level: 'study', filters: { patientId: 'NOBODY' } })).toEqual([]);
    const inRange = await pulmo.s.handlers['dicom.find']({ node: 'pacs', level: 'study', filters: { dateFrom: '20240101', dateTo: '20240131' } });
    expect(inRange.map((r) => r.studyInstanceUID)).toEqual([studyUID]);
    expect(await pulmo.s.handlers['dicom.find']({ node: 'pacs', level: 'study', filters: { dateFrom: '20250101' } })).toEqual([]);
    const rows = await pulmo.s.handlers['dicom.find']({ node: 'pacs', level: 'series', filters: { studyInstanceUID: studyUID } });
    expect(new Map(rows.map((r) => [r.seriesInstanceUID, r.numberOfInstances]))).toEqual(
      new Map([
        [series.pushed.seriesUID, 24],
        [series.moved.seriesUID, 12],
        [series.got.seriesUID, 10],
      ]),
    );
  });

  it('C-MOVEs a series to its own listener and imports it', async () => {
    const { jobId } = await pulmo.s.handlers['dicom.retrieve']({ node: 'pacs', studyInstanceUID: studyUID, seriesInstanceUID: series.moved.seriesUID, via: 'move' });
    const st = await jobDone(pulmo.s, jobId);
    expect(st.state, st.error?.message ?? '').toBe('done');
    expect(st.progress.message).toMatch(/^12 instances moved to PULMO; 0 failed/);
    await pulmo.s.listener.idle();
    const v = seriesVoxels(pulmo.ctx, pulmo.s, series.moved.seriesUID);
    expect(v.voxels.length).toBe(64 * 64 * 12 * 2);
  });

  it('C-GETs a series on the same association and imports it', async () => {
    const { jobId } = await pulmo.s.handlers['dicom.retrieve']({ node: 'pacs', studyInstanceUID: studyUID, seriesInstanceUID: series.got.seriesUID, via: 'get' });
    const st = await jobDone(pulmo.s, jobId);
    expect(st.state, st.error?.message ?? '').toBe('done');
    expect(st.kind).toBe('retrieve');
    expect(st.summary!.instancesImported).toBe(10);
    expect(st.summary!.series[0]).toMatchObject({ seriesInstanceUID: series.got.seriesUID, dims: [80, 64, 10] });
    // Filed under the data folder by UID, like the listener's files.
    expect(fs.existsSync(path.join(pulmo.ctx.dataDir, 'received', studyUID, series.got.seriesUID, `${series.got.sopUIDs[0]}.dcm`))).toBe(true);
  });

  it('sends an SR, a SEG and an encapsulated PDF to Orthanc, which lists them under the study', async () => {
    const dir = path.join(root, 'reports');
    fs.mkdirSync(dir, { recursive: true });
    const study = { ...PATIENT, patientName: 'Test^Patient', studyUID };
    const sr = writeSr(dir, study);
    const seg = writeSeg(dir, study);
    writePdf(dir, study);
    const { jobId } = await pulmo.s.handlers['dicom.send']({ node: 'pacs', paths: [dir] });
    const st = await jobDone(pulmo.s, jobId);
    expect(st.errors).toEqual([]);
    expect(st.progress.message).toBe('sent 3 of 3 files to pacs');
    const seriesList = await orthanc.rest<{ MainDicomTags: { Modality: string; SeriesInstanceUID: string } }[]>(`/studies/${await lookup(studyUID)}/series`);
    const modalities = seriesList.map((x) => x.MainDicomTags.Modality).sort();
    expect(modalities).toEqual(['CT', 'CT', 'CT', 'DOC', 'SEG', 'SR']);
    expect(seriesList.find((x) => x.MainDicomTags.Modality === 'SR')!.MainDicomTags.SeriesInstanceUID).toBe(sr.seriesUID);
    expect(seriesList.find((x) => x.MainDicomTags.Modality === 'SEG')!.MainDicomTags.SeriesInstanceUID).toBe(seg.seriesUID);
    // What Orthanc stored is what was sent (dcmtk reads Orthanc's copy back).
    const stored = Buffer.from(await (await fetch(`${orthanc.baseUrl}/instances/${await lookup(sr.sopUID)}/file`)).arrayBuffer());
    fs.writeFileSync(path.join(dir, 'back.dcm'), stored);
    expect(execFileSync('dcmdump', ['+P', '0040,a160', path.join(dir, 'back.dcm')]).toString()).toMatch(/Test finding 6 mm/);
  });
});
