// End-to-end CAD review in Chromium against `pulmo serve`: import the bundled LIDC-IDRI-0001 crop, run the
// classical detector with the shipped malignancy and cancer-type models from the CAD panel, check the list against
// the LIDC reader nodule and the run row, install a classification model from the Models page, re-run, move the
// operating point, and edit Brock inputs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CadRunSummary } from '../../src-main/shared/cadTypes';
import type { Finding } from '../../src-main/shared/types';
import { classifierBytes, classifierManifest, writeModelDir } from '../fixtures/models/buildModels';
import { teardown, launchChromium, screenshot, startServe, watchConsole, type PulmoServer } from './helpers/pulmoBrowser';

let tmp: string;
let server: PulmoServer;
let browser: Browser;
let page: Page;
let logs: string[];
let seriesUID: string;

async function apiCall<T>(method: string, args: unknown): Promise<T> {
  const token = new URL(server.url).searchParams.get('token');
  const res = await fetch(`${server.origin}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
  return body.value as T;
}

/** Runs CAD from the panel and waits for the job to end; returns the run row it made. */
async function runCadFromPanel(): Promise<CadRunSummary> {
  const before = (await apiCall<CadRunSummary[]>('cad.runs', { seriesInstanceUID: seriesUID })).length;
  await page.getByTestId('cad-run').click();
  await page.waitForSelector('[data-testid=cad-job][data-state=done]', { timeout: 60_000 }).catch(async (err) => {
    throw new Error(`CAD job did not finish: ${err.message}\n${await page.getByTestId('cad-panel').textContent()}\n${logs.join('\n')}`);
  });
  const runs = await apiCall<CadRunSummary[]>('cad.runs', { seriesInstanceUID: seriesUID });
  expect(runs.length).toBe(before + 1);
  await page.waitForSelector(`[data-testid=cad-run-info][data-run-id="${runs[0].id}"]`);
  return runs[0];
}

const cadCardIds = () => page.locator('[data-testid=cad-finding]').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding-id')!));

async function setThreshold(steps: 'Home' | 'End' | number): Promise<void> {
  const slider = page.getByTestId('cad-threshold');
  await slider.focus();
  if (typeof steps === 'string') await page.keyboard.press(steps);
  else {
    await page.keyboard.press('Home');
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowRight');
  }
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-cad-e2e-'));
  server = await startServe(path.join(tmp, 'data'));
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  logs = watchConsole(page);
}, 180_000);

afterAll(() => teardown({ browser, server, logs, dir: tmp }));

describe('CAD review on the LIDC-IDRI-0001 sample', () => {
  it('imports and opens the sample; the panel says research use, credits the data, and offers the shipped models', async () => {
    await page.goto(server.url);
    await page.getByTestId('open-sample').click();
    const row = page.locator('[data-testid=study-table] tr[data-series-uid]').first();
    await row.waitFor({ timeout: 60_000 });
    seriesUID = (await row.getAttribute('data-series-uid'))!;
    await page.goto(`${server.url}#/series/${seriesUID}`);
    await page.getByTestId('cad-panel').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('cad-ruo').textContent()).resolves.toMatch(/Research use only/);
    await expect(page.getByTestId('sample-attribution').textContent()).resolves.toBe('Sample data: LIDC-IDRI, CC BY 3.0 — see About');
    await page.locator('[data-testid=cad-classifier] option[value=pulmo-cancer-type]').waitFor({ state: 'attached' });
    await expect(page.getByTestId('cad-classifier').inputValue()).resolves.toBe('pulmo-cancer-type');
    await expect(page.getByTestId('cad-malignancy-model-select').inputValue()).resolves.toBe('pulmo-malignancy');
    expect(await page.getByTestId('no-classifier-notice').count()).toBe(0);
  });

  it('runs CAD from the panel: the LIDC reader nodule is in the list and the provider shown is the run row\'s', async () => {
    const run = await runCadFromPanel();
    await setThreshold('Home'); // score >= 0: every CAD finding
    expect(run.state).toBe('done');
    expect(await page.getByTestId('cad-run-provider').textContent()).toMatch(new RegExp(`^${run.provider} \\(automatic\\)`));
    const models = await page.getByTestId('cad-run-model').allTextContents();
    expect(models).toEqual(run.models.map((m) => `${m.task}: ${m.id} v${m.version}`));

    const refs = await apiCall<Finding[]>('findings.list', { seriesInstanceUID: seriesUID, source: 'reference' });
    expect(refs.length).toBeGreaterThan(0);
    const cad = await apiCall<Finding[]>('findings.list', { seriesInstanceUID: seriesUID, source: 'cad' });
    const listed = await cadCardIds();
    expect(listed.sort()).toEqual(cad.map((f) => f.id).sort());
    const ref = refs[0];
    const radius = (ref.diameterMm ?? Math.max(...ref.boxLPS.max.map((v, a) => v - ref.boxLPS.min[a]))) / 2;
    const hit = cad.find((f) => Math.hypot(...f.centerLPS.map((v, a) => v - ref.centerLPS[a])) <= radius);
    expect(hit, `a CAD finding within ${radius.toFixed(1)} mm of the reader nodule at ${ref.centerLPS.map((v) => v.toFixed(1))}`).toBeDefined();
    const card = page.locator(`[data-testid=cad-finding][data-finding-id="${hit!.id}"]`);
    expect(await card.getByTestId('cad-diameter').textContent()).toBe(`${hit!.diameterMm!.toFixed(1)} mm`);
    // The shipped models ran on every finding: malignancy with its model and training data; cancer type withheld
    // because its patient-grouped CV is no better than chance (resources/models/pulmo-cancer-type/MODEL_CARD.md).
    expect(run.models.map((m) => `${m.task}:${m.id}`)).toEqual(['detection:pulmo-classical', 'classification:pulmo-cancer-type', 'malignancy:pulmo-malignancy']);
    const mal = card.getByTestId('cad-malignancy');
    expect(Number(await mal.getAttribute('data-p'))).toBeCloseTo(hit!.malignancy!.probability, 6);
    expect(await mal.textContent()).toContain(`${(hit!.malignancy!.probability * 100).toFixed(1)} %`);
    expect(await card.getByTestId('cad-malignancy-model').textContent()).toMatch(/^by pulmo-malignancy v1\.0\.0 · trained on LIDC-IDRI VOIs: 799 nodules/);
    expect(await card.getByTestId('cad-class-chance').textContent()).toMatch(/no better than chance in patient-grouped cross-validation.*by pulmo-cancer-type v1\.0\.0/);
    expect(await card.getByTestId('cad-class-probs').count()).toBe(0);
    expect(hit!.classProbs).not.toBeNull(); // computed and stored (for `pulmo eval`), not shown
    await expect(page.getByTestId('exam-lungrads').getAttribute('data-category')).resolves.toMatch(/^[1-4][ABX]?$/);
    // Why it was kept: the stored score and features, as recorded by the detector; the run's operating point.
    const why = card.getByTestId('cad-why-kept');
    await expect(why.locator('summary').textContent()).resolves.toBe(`Why kept: score ${hit!.score!.toFixed(2)} by pulmo-classical`);
    await expect(why.locator('li[data-feature=sphericity]').textContent()).resolves.toBe(`sphericity: ${hit!.detectorFeatures!.sphericity.toFixed(2)}`);
    await expect(why.locator('li[data-feature=shellAirFraction]').textContent()).resolves.toBe(`aerated lung around it: ${hit!.detectorFeatures!.shellAirFraction.toFixed(2)}`);
    await why.locator('summary').click();
    await expect(page.getByTestId('cad-run-operating-point').textContent()).resolves.toMatch(/^score ≥ 0\.50 \(the detector's default for this run\)/);
    await expect(page.getByTestId('cad-run-set-aside').textContent()).resolves.toMatch(/^\d+ candidates? set aside on anatomy/);
    for (const f of cad) expect(f.score!).toBeGreaterThanOrEqual(0.25); // nothing under the reporting floor is stored
    await card.locator('.cad-finding-head').click(); // jump there, for the screenshot
    await page.waitForTimeout(500);
    await screenshot(page, 'cad-panel-run');
    await setThreshold(10); // the default operating point, score >= 0.50: what a reader sees first
    const shown = (await cadCardIds()).length;
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=marker-3d]').length <= n + 2, shown, { timeout: 30_000 }); // + reference marks
    await screenshot(page, 'cad-panel-operating-point');
    await setThreshold('Home');
  }, 180_000); // a CAD run plus the page's work; minutes on a loaded 2-core CI machine

  it('rejects a bad model folder with its reason, installs a classifier from the Models page, and the re-run shows its class probabilities', async () => {
    const bytes = classifierBytes();
    const good = writeModelDir(tmp, 'cls', bytes, classifierManifest(bytes));
    const bad = writeModelDir(tmp, 'cls-bad', bytes, classifierManifest(bytes, { sha256: '0'.repeat(64) }));
    await page.getByTestId('nav-models').click();
    await page.getByTestId('models-page').waitFor();
    await page.getByTestId('model-install-dir').fill(bad);
    await page.getByTestId('model-install').click();
    await page.getByTestId('model-install-error').waitFor();
    expect(await page.getByTestId('model-install-error').textContent()).toMatch(/sha256/);
    await screenshot(page, 'cad-models-install-error');
    await page.getByTestId('model-install-dir').fill(good);
    await page.getByTestId('model-install').click();
    await page.getByTestId('model-install-ok').waitFor();
    await page.locator('[data-testid=model-row][data-model-id=test-mean-classifier]').waitFor();
    const rowText = await page.locator('[data-testid=model-row][data-model-id=test-mean-classifier]').textContent();
    expect(rowText).toContain('classification');
    expect(rowText).toContain('0.3.1');
    expect(rowText).toContain(classifierManifest(bytes).sha256!.toString().slice(0, 12));
    await screenshot(page, 'cad-models-page');

    await page.goto(`${server.url}#/series/${seriesUID}`);
    await page.getByTestId('cad-panel').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid=cad-classifier] option[value=test-mean-classifier]').waitFor({ state: 'attached' });
    await page.getByTestId('cad-classifier').selectOption('test-mean-classifier');
    const run = await runCadFromPanel();
    expect(run.models.map((m) => m.id)).toContain('test-mean-classifier');
    expect(await page.getByTestId('no-classifier-notice').count()).toBe(0);
    const probs = page.getByTestId('cad-class-probs');
    await probs.first().waitFor();
    const n = await probs.count();
    expect(n).toBe(await page.getByTestId('cad-finding').count());
    for (let i = 0; i < n; i++) {
      const el = probs.nth(i);
      const sum = ['data-benign', 'data-ac', 'data-scc'].map((a) => el.getAttribute(a));
      const values = (await Promise.all(sum)).map(Number);
      expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    expect(await page.getByTestId('cad-class-model').first().textContent()).toBe('by test-mean-classifier v0.3.1');
  }, 180_000); // installs a model and runs CAD again

  it('the operating point filters the CAD list, the findings list and the 3D markers alike', async () => {
    const cad = await apiCall<Finding[]>('findings.list', { seriesInstanceUID: seriesUID, source: 'cad' });
    const scores = cad.map((f) => f.score!).sort((a, b) => a - b);
    expect(scores.length).toBeGreaterThan(1);
    const counts = async () => {
      const cadIds = new Set(cad.map((f) => f.id));
      const rows = await page.locator('[data-testid=finding-row]').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding-id')));
      const markers = await page.locator('[data-testid=marker-3d]').evaluateAll((els) => els.map((e) => e.getAttribute('data-finding-id')));
      return { cards: (await cadCardIds()).length, rows: rows.filter((id) => cadIds.has(id!)).length, markers: markers.filter((id) => cadIds.has(id!)).length };
    };
    // 3D is on demand (not in the chest CT hanging protocol): open the 2x2 layout and ask for it.
    await page.click('[data-testid=layout-2x2]');
    await page.click('[data-testid=render-3d]');
    await setThreshold('Home');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=marker-3d]').length >= n, cad.length, { timeout: 60_000 });
    expect(await counts()).toEqual({ cards: cad.length, rows: cad.length, markers: cad.length });
    // A threshold between the lowest and highest score: 0.05 steps.
    const mid = (scores[0] + scores[scores.length - 1]) / 2;
    const steps = Math.min(20, Math.max(1, Math.ceil(mid / 0.05)));
    const t = steps * 0.05;
    const expected = cad.filter((f) => f.score! >= t - 1e-9).length;
    await setThreshold(steps);
    await expect(page.getByTestId('cad-threshold-value').textContent()).resolves.toBe(t.toFixed(2));
    expect(expected).toBeLessThan(cad.length);
    await page.waitForFunction(
      ({ ids, n }) => [...document.querySelectorAll('[data-testid=marker-3d]')].filter((e) => ids.includes(e.getAttribute('data-finding-id')!)).length === n,
      { ids: cad.map((f) => f.id), n: expected },
      { timeout: 30_000 },
    );
    expect(await counts()).toEqual({ cards: expected, rows: expected, markers: expected });
    await expect(page.getByTestId('cad-shown-count').textContent()).resolves.toMatch(new RegExp(`^Showing ${expected} of ${cad.length} CAD findings`));
    // Kept for the session: a reload comes back at the same operating point.
    await page.reload();
    await page.getByTestId('cad-panel').waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('cad-threshold-value').textContent()).resolves.toBe(t.toFixed(2));
    await page.getByTestId('cad-finding').first().waitFor();
    expect((await cadCardIds()).length).toBe(expected);
    // A display filter only: the exam category is the run's, at its stored operating point, whatever the slider.
    const exam = await apiCall<{ category: string | null; minScore: number }>('cad.examLungRads', { seriesInstanceUID: seriesUID });
    expect(exam.minScore).toBe(0.5);
    await expect(page.getByTestId('exam-lungrads').getAttribute('data-category')).resolves.toBe(exam.category ?? '');
    await setThreshold('End');
    await page.waitForTimeout(500);
    await expect(page.getByTestId('exam-lungrads').getAttribute('data-category')).resolves.toBe(exam.category ?? '');
    await expect(page.getByTestId('cad-threshold-label').textContent()).resolves.toMatch(/Display filter/);
  }, 180_000);

  it('the reader edits Brock inputs: stored with the reader as their origin; no probability without DICOM age/sex', async () => {
    await setThreshold('Home');
    const card = page.getByTestId('cad-finding').first();
    const id = (await card.getAttribute('data-finding-id'))!;
    const before = (await apiCall<Finding[]>('findings.list', { seriesInstanceUID: seriesUID, source: 'cad' })).find((f) => f.id === id)!;
    expect(before.brockInputs).toMatchObject({ ageYears: null, sex: null, familyHistory: false, spiculation: false });
    expect(before.brock).toBeNull();
    expect(await card.getByTestId('cad-brock').textContent()).toMatch(/age\/sex unknown in DICOM: enter them/);
    await card.getByTestId('brock-edit').click();
    await card.getByTestId('brock-family').check();
    await card.getByTestId('brock-spiculation').check();
    await card.getByTestId('brock-save').click();
    await card.locator('.origin-reader').first().waitFor();
    const after = (await apiCall<Finding[]>('findings.list', { seriesInstanceUID: seriesUID, source: 'cad' })).find((f) => f.id === id)!;
    expect(after.brockInputs).toMatchObject({ familyHistory: true, spiculation: true, emphysema: false });
    expect(after.brockInputs!.origin).toMatchObject({ familyHistory: 'reader', spiculation: 'reader', upperLobe: before.brockInputs!.origin.upperLobe });
    expect(after.brockInputs!.enteredAt).not.toBeNull();
    expect(after.brock).toBeNull(); // LIDC is de-identified: no birth date or sex, so never a guessed probability
    await card.getByTestId('brock-show-inputs').click();
    expect(await card.getByTestId('brock-inputs').textContent()).toMatch(/family history yes reader/);
    await screenshot(page, 'cad-panel-brock');
  });
});
