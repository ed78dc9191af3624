// DICOMweb against Orthanc's DICOMweb plugin: QIDO-RS query, WADO-RS retrieve into the import (same voxels as a
// file import), STOW-RS of an SR, and clear messages for a wrong URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries, type WrittenSeries } from '../../fixtures/dicom/ctSeries';
import { freePort, orthancAvailable, startOrthanc, uploadToOrthanc, type Orthanc } from '../../fixtures/net/orthanc';
import { jobDone, seriesVoxels, startPulmo, type PulmoNet } from '../../fixtures/net/pulmoNet';
import { writeSr } from '../../fixtures/net/reports';
import { createContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';

describe.skipIf(!orthancAvailable())('DICOMweb against Orthanc', () => {
  const root = tempDir('net-web');
  let orthanc: Orthanc;
  let pulmo: PulmoNet;
  let ct: WrittenSeries;

  beforeAll(async () => {
    buildMain();
    orthanc = await startOrthanc();
    pulmo = await startPulmo(path.join(root, 'data'), await freePort(), { enabled: false });
    await pulmo.s.handlers['dicom.nodes.save']({ name: 'web', kind: 'dicomweb', baseUrl: `${orthanc.baseUrl}/dicom-web` });
    ct = writeCtSeries({ dir: path.join(root, 'ct'), rows: 72, columns: 64, slices: 14, pixelSpacing: [0.75, 0.75], sliceStep: 2, origin: [-10, 20, -50], patientId: 'WEB-7' });
    await uploadToOrthanc(orthanc, ct.files);
  });
  afterAll(async () => {
    await pulmo?.close();
    await orthanc?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('answers the Test button (a QIDO-RS root query)', async () => {
    expect(await pulmo.s.handlers['dicom.echo']({ node: 'web' })).toMatchObject({ ok: true, node: 'web' });
    await pulmo.s.handlers['dicom.nodes.save']({ name: 'wrong', kind: 'dicomweb', baseUrl: `${orthanc.baseUrl}/no-such-root` });
    const bad = await pulmo.s.handlers['dicom.echo']({ node: 'wrong' });
    expect(bad.ok).toBe(false);
    expect(bad.message).toMatch(/^wrong: GET \/studies\?limit=1 answered HTTP 404/);
  });

  it('QIDO-RS finds the study and its series with filters', async () => {
    const studies = await pulmo.s.handlers['dicom.find']({ node: 'web', level: 'study', filters: { patientId: 'WEB-7' } });
    expect(studies).toHaveLength(1);
    expect(studies[0]).toMatchObject({ studyInstanceUID: ct.studyUID, patientId: 'WEB-7', modalities: 'CT', numberOfInstances: 14, studyDate: '20240102' });
    expect(await pulmo.s.handlers['dicom.find']({ node: 'web', level: 'study', filters: { patientId: 'NOBODY' } })).toEqual([]);
    const series = await pulmo.s.handlers['dicom.find']({ node: 'web', level: 'series', filters: { studyInstanceUID: ct.studyUID } });
    expect(series).toHaveLength(1);
    expect(series[0]).toMatchObject({ seriesInstanceUID: ct.seriesUID, studyInstanceUID: ct.studyUID, numberOfInstances: 14 });
  });

  it('WADO-RS retrieves the series into the case index with the same voxels as a file import', async () => {
    const { jobId } = await pulmo.s.handlers['dicom.retrieve']({ node: 'web', studyInstanceUID: ct.studyUID, seriesInstanceUID: ct.seriesUID });
    const st = await jobDone(pulmo.s, jobId);
    expect(st.state, st.error?.message ?? '').toBe('done');
    expect(st.summary!.instancesImported).toBe(14);
    const ref = createContext({ dataDir: path.join(root, 'ref') });
    const refS = createServices(ref);
    try {
      const imp = await refS.handlers['import.start']({ paths: [path.join(root, 'ct')] });
      expect((await jobDone(refS, imp.jobId)).state).toBe('done');
      const a = seriesVoxels(pulmo.ctx, pulmo.s, ct.seriesUID);
      const b = seriesVoxels(ref, refS, ct.seriesUID);
      expect(a.voxels.length).toBe(72 * 64 * 14 * 2);
      expect(a.voxels.equals(b.voxels)).toBe(true);
      expect(a.geometry).toEqual(b.geometry);
    } finally {
      ref.close();
    }
  });

  it('STOW-RS stores an SR that Orthanc then lists under the study', async () => {
    const dir = path.join(root, 'sr');
    fs.mkdirSync(dir, { recursive: true });
    const sr = writeSr(dir, { patientId: 'WEB-7', patientName: 'Test^Patient', studyUID: ct.studyUID });
    const { jobId } = await pulmo.s.handlers['dicom.send']({ node: 'web', paths: [sr.file] });
    const st = await jobDone(pulmo.s, jobId);
    expect(st.errors).toEqual([]);
    expect(st.progress.message).toBe('sent 1 of 1 files to web');
    const found = await orthanc.rest<{ Type: string }[]>('/tools/lookup', { method: 'POST', body: sr.sopUID });
    expect(found.map((f) => f.Type)).toEqual(['Instance']);
    const studySeries = await pulmo.s.handlers['dicom.find']({ node: 'web', level: 'series', filters: { studyInstanceUID: ct.studyUID } });
    expect(studySeries.map((r) => r.modalities).sort()).toEqual(['CT', 'SR']);
  });
});
