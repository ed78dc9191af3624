// Acceptance e2e of the second read in Chromium against `pulmo serve`, on an imported case (DICOM written to disk,
// imported through the API, CAD by a real ONNX detection model): reader profile → second-reader mode (CAD
// withheld) → add a nodule at the crosshair with the keyboard → first read done → accept one CAD mark, reject one
// with a reason → exam Lung-RADS shown (checked against lungRadsExam) → sign → addendum; the audit table holds
// each step; the worklist shows status, CAD count and exam Lung-RADS, and 'unread' hides the signed study.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { JobStatus } from '../../src-main/shared/types';
import type { Read } from '../../src-main/shared/readTypes';
import { lungRadsExam } from '../../src-main/cad/lungRads';
import { detectorBytes, detectorManifest, writeModelDir } from '../fixtures/models/buildModels';
import { readerSeed, writeCase } from '../fixtures/review/caseFiles';
import { launchChromium, screenshot, startServe, teardown, watchConsole, type PulmoServer } from './helpers/pulmoBrowser';

let tmp: string;
let server: PulmoServer;
let browser: Browser;
let page: Page;
let logs: string[];
let series: string;

async function apiCall<T>(method: string, args: unknown): Promise<T> {
  const token = new URL(server.url).searchParams.get('token');
  const res = await fetch(`${server.origin}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value as T;
}
async function waitJob(jobId: string): Promise<JobStatus> {
  for (let i = 0; i < 600; i++) {
    const j = await apiCall<JobStatus>('jobs.get', { jobId });
    if (j.finishedAt) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${jobId} did not finish`);
}
const marks = () => page.locator('[data-testid=read-mark]');
const decisions = () => marks().evaluateAll((els) => els.map((e) => e.getAttribute('data-decision')));

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-read-e2e-'));
  writeCase(path.join(tmp, 'dicom'));
  const d = detectorBytes();
  const modelDir = writeModelDir(tmp, 'det', d, detectorManifest(d));
  server = await startServe(path.join(tmp, 'data'));
  const imp = await waitJob((await apiCall<{ jobId: string }>('import.start', { paths: [path.join(tmp, 'dicom')] })).jobId);
  if (imp.kind !== 'import' || !imp.summary) throw new Error(`import: ${JSON.stringify(imp.error)}`);
  series = imp.summary.series[0].seriesInstanceUID;
  await apiCall('models.add', { dir: modelDir });
  const cad = await waitJob((await apiCall<{ jobId: string }>('cad.run', { seriesInstanceUID: series, models: ['test-heatmap'] })).jobId);
  if (cad.state !== 'done') throw new Error(`CAD: ${cad.error}`);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
  page.setDefaultTimeout(90_000);
  logs = watchConsole(page);
}, 180_000);
afterAll(() => teardown({ browser, server, logs, dir: tmp }));

// Generous timeouts: the viewer builds a WebGL scene in software (SwiftShader) on a shared 2-core machine.
describe('the second read in the UI', { timeout: 300_000 }, () => {
  it('asks for the reader profile, starts a second-reader read and withholds CAD', async () => {
    await page.goto(`${server.url}#/series/${series}`);
    await page.getByTestId('reader-name').waitFor({ timeout: 150_000 }).catch(async (err: Error) => {
      await screenshot(page, 'second-read-failed-start');
      throw new Error(`${err.message}\n${logs.join('\n')}`);
    });
    await page.getByTestId('reader-name').fill('Dr E2E');
    await page.getByTestId('reader-save').click();
    await page.getByTestId('read-start').waitFor();
    expect(await page.getByTestId('read-mode').inputValue()).toBe('second-reader');
    await page.getByTestId('read-start').click();
    await page.getByTestId('cad-withheld').waitFor();
    expect(await page.getByTestId('read-status').textContent()).toMatch(/in-review · second-reader/);
    const sources = await page.locator('[data-testid=finding-row] .muted').allTextContents();
    expect(sources.filter((s) => s.trim() === 'cad')).toEqual([]);
  });

  it('adds a nodule at the crosshair from the keyboard', async () => {
    await page.evaluate((p) => (window as unknown as { __pulmoJump: (x: number[]) => void }).__pulmoJump(p), readerSeed);
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('i');
    await page.waitForSelector('[data-testid=read-mark][data-decision=added]');
    expect(await decisions()).toEqual(['added']);
  });

  it('shows CAD marks after "first read done"; accepts one and rejects one with a reason', async () => {
    await page.getByTestId('read-first-done').click();
    await page.waitForSelector('[data-testid=read-mark][data-decision=pending]');
    const n = await marks().count();
    expect(n).toBeGreaterThanOrEqual(3);
    const pending = page.locator('[data-testid=read-mark][data-decision=pending]');
    await pending.first().getByTestId('mark-accept').click();
    await page.waitForSelector('[data-testid=read-mark][data-decision=accepted]');
    const next = page.locator('[data-testid=read-mark][data-decision=pending]').first();
    await next.getByTestId('mark-reason').selectOption('calcified-granuloma');
    await next.getByTestId('mark-reject').click();
    await page.waitForSelector('[data-testid=read-mark][data-decision=rejected]');
    expect(await page.locator('[data-testid=read-mark][data-decision=rejected] [data-testid=mark-decision]').first().textContent()).toMatch(/calcified granuloma/);
    // The rest from the keyboard: J to the next mark, X rejects with the selected reason.
    while ((await page.locator('[data-testid=read-mark][data-decision=pending]').count()) > 0) {
      const before = await page.locator('[data-testid=read-mark][data-decision=pending]').count();
      const idx = (await decisions()).indexOf('pending');
      await page.locator('[data-testid=read-mark] .mark-head').nth(idx).click();
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('x');
      await expect.poll(() => page.locator('[data-testid=read-mark][data-decision=pending]').count()).toBe(before - 1);
    }
  });

  it('shows the exam Lung-RADS of the accepted and added nodules', async () => {
    const read = (await apiCall<Read>('reads.get', { seriesInstanceUID: series }))!;
    const counted = read.marks.filter((m) => m.decision === 'accepted' || m.decision === 'added').map((m) => m.finding);
    const expected = lungRadsExam(counted.map((f) => ({ type: f.type!, diameterMm: f.diameterMm!, solidComponentMm: f.solidComponentMm ?? null }))).category;
    await expect.poll(() => page.getByTestId('read-exam-category').textContent()).toBe(expected);
    await screenshot(page, 'second-read-triaged');
  });

  it('signs, then amends with an addendum that keeps the signed version', async () => {
    await page.getByTestId('read-impression').fill('One solid nodule; see table.');
    await page.getByTestId('read-save-conclusion').click();
    await page.getByTestId('read-sign').click();
    await page.waitForSelector('[data-testid=read-panel][data-state=signed]');
    expect(await page.getByTestId('mark-accept').count()).toBe(0);
    await page.getByTestId('read-addendum-reason').fill('type revised');
    await page.getByTestId('read-addendum').click();
    await page.waitForSelector('[data-testid=read-panel][data-state=addendum]');
    await page.locator('[data-testid=read-mark][data-decision=added] [data-testid=mark-type]').selectOption('ground-glass');
    await expect.poll(() => page.locator('[data-testid=read-mark][data-decision=added] [data-testid=mark-lungrads]').textContent()).toBe('2');
    await page.getByTestId('read-sign').click();
    await page.waitForSelector('[data-testid=read-panel][data-state=addended]');
    const versions = await apiCall<{ version: number; kind: string }[]>('reads.versions', { readId: (await apiCall<Read>('reads.get', { seriesInstanceUID: series }))!.id });
    expect(versions.map((v) => v.kind)).toEqual(['signed', 'addendum']);
  });

  it('holds each step in the audit table', async () => {
    await page.locator('[data-testid=audit] summary').click();
    await expect.poll(() => page.locator('[data-testid=audit-row]').count()).toBeGreaterThanOrEqual(10);
    const actions = await page.locator('[data-testid=audit-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const a of ['reads.start', 'reads.add', 'reads.firstReadDone', 'reads.accept', 'reads.reject', 'reads.setConclusion', 'reads.sign', 'reads.startAddendum', 'reads.edit', 'reads.signAddendum']) expect(actions).toContain(a);
    expect(actions.indexOf('reads.add')).toBeLessThan(actions.indexOf('reads.firstReadDone'));
    expect(await page.getByTestId('audit-table').textContent()).toContain('Dr E2E (radiologist)');
    await screenshot(page, 'second-read-audit');
  });

  it('shows the review columns in the worklist, and "unread" hides the signed study', async () => {
    await page.goto(server.url);
    const row = page.locator(`[data-testid=study-table] tr[data-series-uid="${series}"]`);
    await row.waitFor();
    expect(await row.getByTestId('series-status').textContent()).toBe('addended');
    const read = (await apiCall<Read>('reads.get', { seriesInstanceUID: series }))!;
    expect(await row.getByTestId('series-exam-lungrads').textContent()).toBe(read.conclusion.category);
    expect(Number(await row.getByTestId('series-cad-count').textContent())).toBe(read.marks.filter((m) => m.origin === 'cad').length);
    await screenshot(page, 'second-read-worklist');
    await page.getByTestId('worklist-unread').check();
    await expect.poll(() => page.locator(`[data-testid=study-table] tr[data-series-uid="${series}"]`).count()).toBe(0);
  });
});
