// End to end: the DICOM pages in Chromium against `pulmo serve` and a real Orthanc — Test button, listener
// switched on from the UI (then echoed by Orthanc), Query with filters, series listing, Retrieve with progress,
// and the retrieved series in the worklist.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../fixtures/dicom/paths';
import { writeCtSeries, type WrittenSeries } from '../fixtures/dicom/ctSeries';
import { freePort, orthancAvailable, startOrthanc, uploadToOrthanc, type Orthanc } from '../fixtures/net/orthanc';
import { launchChromium, repoRoot, screenshot, startServe, teardown, watchConsole, type PulmoServer } from './helpers/pulmoBrowser';

describe.skipIf(!orthancAvailable())('DICOM pages over pulmo serve, against Orthanc', () => {
  const dir = tempDir('e2e-dicom');
  const dataDir = path.join(dir, 'data');
  let orthanc: Orthanc;
  let server: PulmoServer;
  let browser: Browser;
  let ct: WrittenSeries;
  let listenPort = 0;

  beforeAll(async () => {
    listenPort = await freePort();
    orthanc = await startOrthanc({ modalities: { pulmo: { aet: 'PULMO', host: '127.0.0.1', port: listenPort } } });
    ct = writeCtSeries({ dir: path.join(dir, 'ct'), rows: 64, columns: 64, slices: 12, pixelSpacing: [0.8, 0.8], sliceStep: 2, origin: [0, 0, 0], patientId: 'E2E-DICOM' });
    await uploadToOrthanc(orthanc, ct.files);
    execFileSync(process.execPath, [path.join(repoRoot, 'bin', 'pulmo.js'), 'dicom', 'nodes', 'add', 'pacs', `ORTHANC@127.0.0.1:${orthanc.dicomPort}`, '--data', dataDir]);
    server = await startServe(dataDir);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await teardown({ browser, server });
    await orthanc?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('tests a node, turns the listener on, and Orthanc can echo it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const logs = watchConsole(page);
    await page.goto(server.url);
    await page.getByTestId('nav-nodes').click();
    await page.getByTestId('node-pacs').waitFor();
    expect(await page.getByTestId('listener-status').textContent()).toBe('Listener off: nothing listens for DICOM.');
    await page.getByTestId('test-pacs').click();
    await page.getByTestId('test-result-pacs').getByText(/C-ECHO succeeded/).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('test-result-pacs').textContent()).toMatch(/^✓ C-ECHO succeeded \(\d+ ms\)$/);
    await page.getByTestId('listener-port').fill(String(listenPort));
    await page.getByTestId('listener-toggle').click();
    await page.getByTestId('listener-status').getByText(/Listening as/).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('listener-status').textContent()).toContain(`Listening as PULMO@127.0.0.1:${listenPort}`);
    // The PACS reaches the listener the UI just turned on: Orthanc's AE title is the configured node "pacs",
    // which allows store, so its association is accepted and listed.
    await expect(orthanc.rest('/modalities/pulmo/echo', { method: 'POST', body: '{}' })).resolves.toBeDefined();
    await page.reload();
    await page.getByTestId('receptions-table').getByText('ORTHANC').first().waitFor();
    await screenshot(page, 'dicom-nodes');
    expect(logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
    await page.close();
  });

  it('queries Orthanc, lists the series, retrieves one with progress, and it reaches the worklist', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.getByTestId('nav-query').click();
    await page.getByTestId('q-patient-id').fill('E2E-DICOM');
    await page.getByTestId('query-search').click();
    const results = page.getByTestId('query-results');
    await results.getByText('E2E-DICOM').waitFor({ timeout: 20_000 });
    expect(await results.locator('tbody tr').count()).toBe(1);
    expect(await results.locator('tbody tr').first().textContent()).toContain('20240102');
    await results.getByText('E2E-DICOM').click();
    await page.getByTestId('series-row').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('series-row').first().textContent()).toContain(ct.seriesUID);
    await page.getByTestId('retrieve-series').first().click();
    const job = page.getByTestId('retrieve-job').first();
    await page.locator('[data-testid=retrieve-job][data-state=done]').waitFor({ timeout: 60_000 });
    expect(await job.textContent()).toContain('done: 12 instances imported into 1 series');
    await screenshot(page, 'dicom-query');
    await page.getByText('Worklist').first().click();
    await page.getByTestId('worklist').getByText('E2E-DICOM').first().waitFor({ timeout: 20_000 });
    await page.close();
  });
});
