// End to end: the real renderer in Chromium against `pulmo serve`, values checked against the main side.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lidcSlices } from '../fixtures/dicom/paths';
import { launchChromium, repoRoot as root, screenshotDir as shots, startServe, teardown, type PulmoServer } from './helpers/pulmoBrowser';

let dataDir: string;
let server: PulmoServer;
let url: string;
let browser: Browser;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-e2e-shell-'));
  server = await startServe(dataDir);
  url = server.url;
  browser = await launchChromium();
  fs.mkdirSync(shots, { recursive: true });
});

afterAll(() => teardown({ browser, server, dir: dataDir }));

describe('renderer shell over pulmo serve', () => {
  it('shows the empty worklist and a diagnostics panel filled from the main side', async () => {
    const info = JSON.parse(execFileSync(process.execPath, [path.join(root, 'bin', 'pulmo.js'), 'info', '--json', '--data', dataDir], { encoding: 'utf8' }));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });
    await page.goto(url);
    await page.getByTestId('worklist').waitFor();
    await expect(page.getByTestId('worklist-empty').textContent()).resolves.toMatch(/No cases yet/);
    expect(await page.getByTestId('worklist-count').textContent()).toBe('0 studies');
    // The token is taken out of the address bar once read.
    expect(page.url()).not.toContain('token=');

    await page.getByTestId('open-about').click();
    await page.getByTestId('about-panel').waitFor();
    expect(await page.getByTestId('about-version').textContent()).toBe(info.version);
    expect(await page.getByTestId('about-data-dir').textContent()).toBe(info.dataDir);
    expect(await page.getByTestId('about-db-path').textContent()).toContain(info.dbPath);
    const providers = await page.locator('[data-testid=about-providers] li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-provider')}:${li.getAttribute('data-status')}`));
    expect(providers).toEqual(info.executionProviders.map((p: { name: string; status: string }) => `${p.name}:${p.status}`));
    await page.screenshot({ path: path.join(shots, 'shell-about.png') });
    expect(cspViolations).toEqual([]);
    await page.close();
  });

  it('keeps working after a reload (token kept for the session, not in the URL)', async () => {
    const page = await browser.newPage();
    await page.goto(url);
    await page.getByTestId('worklist').waitFor();
    await page.reload();
    await page.getByTestId('worklist-empty').waitFor();
    await page.close();
  });

  it('imports the bundled sample from the empty worklist and lists it with its geometry', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByTestId('worklist-empty').waitFor();
    await page.getByTestId('open-sample').click();
    const row = page.locator('[data-testid=study-table] tr[data-series-uid]');
    await row.first().waitFor({ timeout: 60_000 });
    const text = await row.first().textContent();
    expect(text).toContain('LIDC-IDRI-0001');
    expect(text).toContain('16'); // slices in the crop
    expect(text).toContain('2.5 mm');
    await expect(page.getByTestId('import-job').getAttribute('data-state')).resolves.toBe('done');
    expect(await page.getByTestId('import-job').textContent()).toMatch(/16 images imported, \d+ rejected/);
    expect(await page.getByTestId('worklist-count').textContent()).toBe('1 study');
    // search narrows the list, and finds nothing for another patient
    await page.getByTestId('worklist-search').fill('IDRI-0001');
    await page.waitForFunction(() => document.querySelector('[data-testid=worklist-count]')?.textContent === '1 study');
    await page.getByTestId('worklist-search').fill('nobody-here');
    await page.waitForFunction(() => document.querySelector('[data-testid=worklist-count]')?.textContent === '0 studies');
    await page.getByTestId('worklist-search').fill('');
    await row.first().waitFor();
    await page.screenshot({ path: path.join(shots, 'worklist-sample.png') });
    await page.close();
  });

  it('shows the import history, including an import run from the CLI in another process, with its rejected files', async () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-e2e-cli-import-'));
    const slices = lidcSlices('LIDC-IDRI-0003');
    for (const f of slices) fs.copyFileSync(f, path.join(src, path.basename(f)));
    fs.writeFileSync(path.join(src, 'notes.txt'), 'not an image');
    execFileSync(process.execPath, [path.join(root, 'bin', 'pulmo.js'), 'import', src, '--data', dataDir], { stdio: 'ignore' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByTestId('import-history').locator('summary').first().click();
    const cliJob = page.getByTestId('import-history-job').filter({ hasText: src });
    await cliJob.waitFor();
    expect(await cliJob.textContent()).toContain(`${slices.length} images imported, 1 rejected`);
    await cliJob.locator('summary').click();
    expect(await cliJob.textContent()).toMatch(/notes\.txt: not DICOM/);
    expect(await page.getByTestId('worklist-count').textContent()).toBe('2 studies');
    await page.screenshot({ path: path.join(shots, 'worklist-import-history.png') });
    await page.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('ends the import job in the UI even when a stale "running" answer arrives after the job finished', async () => {
    // The race of a fast import: the bar asks jobs.get while the job still runs, the job's last event arrives,
    // then the older answer. Forged here deterministically: the first jobs.get answer says "running", late.
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-e2e-fast-import-'));
    fs.copyFileSync(lidcSlices('LIDC-IDRI-0001')[0], path.join(src, 'one.dcm'));
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let stale = true;
    await page.route('**/api/jobs.get', async (route) => {
      if (!stale) return route.continue();
      stale = false;
      const resp = await route.fetch();
      const body = (await resp.json()) as { ok: boolean; value: Record<string, unknown> };
      await new Promise((r) => setTimeout(r, 2000));
      await route.fulfill({ response: resp, json: { ...body, value: { ...body.value, state: 'running', finishedAt: null } } });
    });
    await page.goto(url);
    await page.getByLabel('Path to import').fill(src);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.waitForSelector('[data-testid=import-job][data-state=done]', { timeout: 20_000 });
    expect(stale).toBe(false); // the forged answer was served
    await page.waitForTimeout(2500); // past the forged answer's delay: the bar must stay finished
    expect(await page.getAttribute('[data-testid=import-job]', 'data-state')).toBe('done');
    expect(await page.getByRole('button', { name: 'Import', exact: true }).isDisabled()).toBe(false);
    await page.close();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('refuses a browser without the token', async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const res = await page.goto(url.replace(/\?token=.*$/, ''));
    expect(res?.status()).toBe(401);
    await ctx.close();
  });
});
