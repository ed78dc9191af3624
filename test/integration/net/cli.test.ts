// `pulmo dicom …` as a user runs it (the built CLI, a real Orthanc): nodes, echo, find --json, retrieve, send,
// and listen refusing a port in use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries, type WrittenSeries } from '../../fixtures/dicom/ctSeries';
import { freePort, orthancAvailable, startOrthanc, uploadToOrthanc, type Orthanc } from '../../fixtures/net/orthanc';
import { writeSr } from '../../fixtures/net/reports';

function pulmo(data: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [pulmoBin, ...args, '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

describe.skipIf(!orthancAvailable())('pulmo dicom (CLI) against Orthanc', () => {
  const root = tempDir('net-cli');
  const data = path.join(root, 'data');
  let orthanc: Orthanc;
  let ct: WrittenSeries;

  beforeAll(async () => {
    buildMain();
    // Pulmo's AE title is registered on the PACS, as a site would do (Orthanc ignores C-FIND from unknown AEs).
    orthanc = await startOrthanc({ modalities: { pulmo: { aet: 'PULMO', host: '127.0.0.1', port: await freePort() } } });
    ct = writeCtSeries({ dir: path.join(root, 'ct'), rows: 48, columns: 48, slices: 8, pixelSpacing: [0.9, 0.9], sliceStep: 2, origin: [0, 0, 0], patientId: 'CLI-3' });
    await uploadToOrthanc(orthanc, ct.files);
  });
  afterAll(async () => {
    await orthanc?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('configures a node and C-ECHOes it by name and by AET@host:port', async () => {
    const add = await pulmo(data, ['dicom', 'nodes', 'add', 'pacs', `ORTHANC@127.0.0.1:${orthanc.dicomPort}`]);
    expect(add.code, add.err).toBe(0);
    const list = await pulmo(data, ['dicom', 'nodes', 'list']);
    expect(list.out).toContain(`pacs             ORTHANC@127.0.0.1:${orthanc.dicomPort}  echo,find,move,get,store`);
    expect(list.out).toContain('this workstation: PULMO, listener off');
    const echo = await pulmo(data, ['dicom', 'echo', 'pacs']);
    expect(echo.code, echo.err).toBe(0);
    expect(echo.out).toMatch(/^pacs: C-ECHO ok in \d+ ms/);
    const wrongAe = await pulmo(data, ['dicom', 'echo', `WRONGAE@127.0.0.1:${orthanc.dicomPort}`]);
    expect(wrongAe.code).toBe(1);
    expect(wrongAe.err).toMatch(/rejected the association: called AE title not recognized/);
    const bad = await pulmo(data, ['dicom', 'echo', 'nowhere']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('No DICOM node "nowhere"');
  });

  it('finds with filters (--json), retrieves with C-GET and sends a file back', async () => {
    const find = await pulmo(data, ['dicom', 'find', 'pacs', '--patient-id', 'CLI-3', '--date', '20240101-20240131', '--json']);
    expect(find.code, find.err).toBe(0);
    const rows = JSON.parse(find.out);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ studyInstanceUID: ct.studyUID, numberOfInstances: 8 });
    const badDate = await pulmo(data, ['dicom', 'find', 'pacs', '--date', 'yesterday']);
    expect(badDate.code).toBe(1);
    expect(badDate.err).toMatch(/dateFrom.*YYYYMMDD/);

    const get = await pulmo(data, ['dicom', 'retrieve', 'pacs', ct.studyUID, '--series', ct.seriesUID]);
    expect(get.code, get.err).toBe(0);
    expect(get.out).toMatch(/^retrieved: 8 instances imported, 1 series/);
    const info = await pulmo(data, ['import', path.join(root, 'ct'), '--json']);
    expect(JSON.parse(info.out).instancesImported).toBe(0); // already there, from the network

    const dir = path.join(root, 'sr');
    fs.mkdirSync(dir);
    const sr = writeSr(dir, { patientId: 'CLI-3', patientName: 'Test^Patient', studyUID: ct.studyUID });
    const send = await pulmo(data, ['dicom', 'send', 'pacs', sr.file]);
    expect(send.code, send.err).toBe(0);
    expect(send.out).toContain('sent 1 of 1 files to pacs');
    expect(await orthanc.rest<unknown[]>('/tools/lookup', { method: 'POST', body: sr.sopUID })).toHaveLength(1);
  });

  it('listen refuses a port already in use with a clear message', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)));
    try {
      const r = await pulmo(data, ['dicom', 'listen', '--port', String(port)]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      blocker.close();
    }
  });
});
