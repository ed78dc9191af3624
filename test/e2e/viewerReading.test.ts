// End-to-end: what the reader sees while reading must be right (issue 9) — the length tool's Esc, the crosshair
// kept inside the volume and still on a double click, the W/L boxes, hover labels, zoom about the cursor, an HU
// readout that follows the wheel, slice numbers counted head to feet, 3D only on demand, one-key overlay toggles,
// keys after a dropdown, and the HU ROI checked against the voxels. Chromium (software WebGL2) on the phantom.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Vec3 } from '../../src-main/shared/geometry';
import { ijkToLps, lpsToIjk } from '../../src-main/shared/geometry';
import { screenToWorld, worldToScreen } from '../../src-renderer/viewer/viewGeometry';
import { makePhantom, seedPhantomCase, type SeededCase } from '../fixtures/viewer/seedVolume';
import { launchChromium, screenshot, startServe, teardown, watchConsole, type PulmoServer } from './helpers/pulmoBrowser';
import { frameOf, settle, waitForPixels } from './helpers/viewerPage';

const OPTS = { dims: [96, 96, 40] as Vec3, spacing: [3.2, 3.2, 5] as Vec3 };
let dataDir: string;
let server: PulmoServer;
let browser: Browser;
let page: Page;
let seeded: SeededCase;
let logs: string[];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-reading-e2e-'));
  seeded = seedPhantomCase(dataDir, OPTS);
  server = await startServe(dataDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  logs = watchConsole(page);
  await page.goto(`${server.url}#/series/${seeded.seriesInstanceUID}`);
  await page.waitForSelector('[data-testid=view-axial]', { timeout: 60_000 });
  await waitForPixels(page, 'axial');
}, 180_000);

afterAll(() => teardown({ browser, server, logs, dir: dataDir }));

const jump = (p: Vec3) => page.evaluate((q) => (window as unknown as { __pulmoJump(p: number[]): void }).__pulmoJump(q), p);
const center = () => ijkToLps(seeded.geometry, seeded.geometry.dims.map((d) => Math.floor((d - 1) / 2)) as Vec3);
async function viewBox(view: string) {
  return (await page.locator(`[data-testid=view-${view}]`).boundingBox())!;
}
async function measurementsStored(): Promise<{ lengthMm: number }[]> {
  return page.evaluate(async (uid) => {
    const token = sessionStorage.getItem('pulmo.token');
    const res = await fetch('/api/measurements.list', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ seriesInstanceUID: uid }) });
    return (await res.json()).value;
  }, seeded.seriesInstanceUID);
}

describe('reading on the phantom', () => {
  it('opens without 3D (hanging protocol) and renders 3D only when asked, preview first', async () => {
    expect(await page.locator('[data-testid=view-3d]').count()).toBe(0);
    await page.click('[data-testid=layout-2x2]');
    await page.waitForSelector('[data-testid=view-3d]');
    await page.waitForTimeout(500);
    expect(await page.getAttribute('[data-testid=view-3d]', 'data-render-state')).toBe('idle');
    await page.click('[data-testid=render-3d]');
    await page.waitForSelector('[data-testid=view-3d][data-render-state=preview], [data-testid=view-3d][data-render-state=full]', { timeout: 60_000 });
    await page.waitForSelector('[data-testid=view-3d][data-render-state=full]', { timeout: 60_000 });
    expect(await page.textContent('[data-testid=frame-3d]')).toMatch(/full frame \d+ ms/);
    await screenshot(page, 'reading-2x2-3d-on-demand');
    await page.click('[data-testid="layout-1+2"]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=view-3d]'));
  });

  it('cancels the whole length gesture with Esc: no spurious measurement from the old start point', async () => {
    await jump(center());
    const frame = await frameOf(page, 'axial');
    const box = await viewBox('axial');
    const at = (p: Vec3) => worldToScreen(frame, p);
    const o = frame.planeOrigin;
    await page.click('[data-testid=tool-length]');
    const s0 = at([o[0] - 40, o[1], o[2]]);
    await page.mouse.click(box.x + s0.x, box.y + s0.y);
    await page.keyboard.press('Escape');
    await page.click('[data-testid=tool-length]');
    // A new 20 mm measurement: its two clicks must make it, not the cancelled start point.
    const a = at([o[0], o[1], o[2]]);
    const b = at([o[0] + 20, o[1], o[2]]);
    await page.mouse.click(box.x + a.x, box.y + a.y);
    await page.mouse.click(box.x + b.x, box.y + b.y);
    await page.waitForSelector('[data-testid=measurement-row]');
    const stored = await measurementsStored();
    expect(stored).toHaveLength(1);
    expect(Math.abs(stored[0].lengthMm - 20)).toBeLessThan(2 * frame.mmPerPx);
    await page.keyboard.press('n');
    await page.click('[data-testid=measurement-delete]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=measurement-row]').length === 0);
  });

  it('keeps the crosshair inside the volume on a click in the black margin, and still on a double click', async () => {
    const box = await viewBox('axial');
    // Top-left corner of the axial view: outside the phantom's field of view (black margin).
    await page.mouse.click(box.x + 4, box.y + 4);
    await settle(page);
    const frame = await frameOf(page, 'axial');
    const ijk = lpsToIjk(seeded.geometry, frame.planeOrigin);
    ijk.forEach((v, a) => {
      expect(v).toBeGreaterThanOrEqual(-1e-6);
      expect(v).toBeLessThanOrEqual(seeded.geometry.dims[a] - 1 + 1e-6);
    });
    const cor = await page.textContent('[data-testid=slice-coronal]');
    expect(cor).toMatch(/^Slice (\d+) \/ 96/);
    expect(Number(/^Slice (\d+)/.exec(cor!)![1])).toBeGreaterThanOrEqual(1);
    await jump(center());
    await settle(page);
    const before = (await frameOf(page, 'axial')).planeOrigin;
    await page.mouse.dblclick(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.waitForFunction(() => document.querySelector('[data-testid=view-grid]')?.getAttribute('data-layout') === 'max');
    await settle(page);
    expect((await frameOf(page, 'axial')).planeOrigin).toEqual(before);
    await page.dblclick('[data-testid=view-axial]');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-grid]')?.getAttribute('data-layout') === '1+2');
    await jump(center());
  });

  it('edits the level and width boxes naturally: typed negatives apply, invalid text is shown and not applied', async () => {
    const level = page.locator('[data-testid=level-input]');
    await level.click({ clickCount: 3 });
    await page.keyboard.press('Backspace');
    await page.keyboard.type('-500');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('/ L -500 HU'));
    const width = page.locator('[data-testid=window-input]');
    const w0 = /W (\d+) \//.exec((await page.textContent('[data-testid=view-axial]'))!)![1];
    await width.click({ clickCount: 3 });
    await page.keyboard.press('Backspace');
    expect(await width.getAttribute('aria-invalid')).toBe('true');
    await settle(page);
    expect(await page.textContent('[data-testid=view-axial]')).toContain(`W ${w0} / L -500 HU`);
    await page.keyboard.type('900');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 900 / L -500 HU'));
    expect(await width.getAttribute('aria-invalid')).toBe('false');
    await page.click('[data-testid=preset-lung]');
  });

  it('shows a mark label when the cursor is inside the CAD mark, not only on its 2 px outline', async () => {
    const big = seeded.findings.find((f) => f.label === 'CAD 1')!;
    await jump(ijkToLps(seeded.geometry, lpsToIjk(seeded.geometry, big.centerLPS).map(Math.round) as Vec3));
    const frame = await frameOf(page, 'axial');
    const c = worldToScreen(frame, big.centerLPS);
    const box = await viewBox('axial');
    await page.mouse.move(box.x + c.x + 2, box.y + c.y + 2);
    await page.waitForSelector('[data-testid=overlay-axial] .finding-label', { timeout: 5000 });
    expect(await page.textContent('[data-testid=overlay-axial] .finding-label')).toMatch(/CAD 1 · 20\.0 mm/);
    await screenshot(page, 'reading-hover-label');
  });

  it('hides the crosshair, the CAD marks and the outlines with one key each, and keys work after a dropdown', async () => {
    const count = (sel: string) => page.locator(sel).count();
    expect(await count('[data-testid=overlay-axial] [data-source=cad]')).toBeGreaterThan(0);
    await page.keyboard.press('k');
    await page.waitForFunction(() => !document.querySelector('[data-testid=overlay-axial] [data-source=cad]'));
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await page.waitForFunction(() => document.querySelector('[data-testid=crosshair-axial]')?.getAttribute('visibility') === 'hidden');
    await page.keyboard.press('x');
    expect(await count('[data-testid=overlay-axial] [data-source=reference]')).toBeGreaterThan(0);
    await page.keyboard.press('u');
    await page.waitForFunction(() => !document.querySelector('[data-testid=overlay-axial] [data-source=reference]'));
    await page.keyboard.press('u');
    // After using the slab dropdown, a shortcut reaches the viewer (focus came back).
    await page.selectOption('[data-testid=slab-mode]', 'mip');
    await page.keyboard.press('2');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 350 / L 50 HU'));
    await page.selectOption('[data-testid=slab-mode]', 'thin');
    await page.keyboard.press('1');
  });

  it('zooms about the cursor with ctrl+wheel: the point under it stays under it', async () => {
    const box = await viewBox('axial');
    const x = box.width * 0.3;
    const y = box.height * 0.35;
    const f0 = await frameOf(page, 'axial');
    const p0 = screenToWorld(f0, x, y);
    await page.mouse.move(box.x + x, box.y + y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await page.waitForFunction((m) => (window as unknown as { __pulmoFrames: Record<string, { mmPerPx: number }> }).__pulmoFrames.axial.mmPerPx < m * 0.8, f0.mmPerPx);
    const f1 = await frameOf(page, 'axial');
    const p1 = screenToWorld(f1, x, y);
    expect(Math.hypot(p1[0] - p0[0], p1[1] - p0[1])).toBeLessThan(f1.mmPerPx * 1.5);
    await page.keyboard.press('r');
  });

  it('keeps the HU readout current when the wheel pages slices without moving the mouse', async () => {
    await jump(center());
    const box = await viewBox('axial');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const z0 = Number((await page.getAttribute('[data-testid=hu-axial]', 'data-lps'))!.split(',')[2]);
    for (let i = 0; i < 3; i++) await page.mouse.wheel(0, 100);
    await page.waitForFunction((z) => Math.abs((window as unknown as { __pulmoFrames: Record<string, { planeOrigin: number[] }> }).__pulmoFrames.axial.planeOrigin[2] - (z - 15)) < 1e-6, z0);
    await settle(page);
    const z1 = Number((await page.getAttribute('[data-testid=hu-axial]', 'data-lps'))!.split(',')[2]);
    expect(z1).toBeCloseTo(z0 - 15, 2);
  });

  it('numbers axial slices from the head like PACS: wheel toward the feet counts up', async () => {
    const g = seeded.geometry;
    // The phantom's k axis points to the head: the top slice (k = dims-1) is slice 1.
    await jump(ijkToLps(g, [48, 48, g.dims[2] - 1]));
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.getAttribute('data-slice-number') === '1');
    expect(await page.textContent('[data-testid=slice-axial]')).toMatch(/^Slice 1 \/ 40/);
    const box = await viewBox('axial');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 100); // toward the feet
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.getAttribute('data-slice-number') === '2');
    await jump(center());
  });

  it('measures HU in a circular ROI: mean, SD, min and max equal those of the voxels inside', async () => {
    const g = seeded.geometry;
    const big = seeded.findings.find((f) => f.label === 'CAD 1')!;
    const c = ijkToLps(g, lpsToIjk(g, big.centerLPS).map(Math.round) as Vec3);
    await jump(c);
    const frame = await frameOf(page, 'axial');
    const box = await viewBox('axial');
    await page.click('[data-testid=tool-roi]');
    const sc = worldToScreen(frame, c);
    await page.mouse.click(box.x + sc.x, box.y + sc.y);
    const rPx = 12 / frame.mmPerPx;
    await page.mouse.click(box.x + sc.x + rPx, box.y + sc.y);
    const stats = page.locator('[data-testid=overlay-axial] [data-testid=roi-stats]');
    await stats.waitFor();
    const shown = Object.fromEntries(await Promise.all(['mean', 'sd', 'min', 'max', 'n'].map(async (k) => [k, Number(await stats.getAttribute(`data-${k}`))] as const)));
    // Independent: every voxel of this axial slice whose centre lies within the ROI's circle, from the phantom.
    const roi = page.locator('[data-testid=overlay-axial] [data-testid=roi-axial]');
    const centre = (await roi.getAttribute('data-center'))!.split(',').map(Number) as Vec3;
    const r = Number(await roi.getAttribute('data-radius'));
    expect(Math.abs(r - 12)).toBeLessThan(2 * frame.mmPerPx);
    const ph = makePhantom(OPTS);
    const k = Math.round(lpsToIjk(g, centre)[2]);
    const vals: number[] = [];
    for (let j = 0; j < g.dims[1]; j++)
      for (let i = 0; i < g.dims[0]; i++) {
        const p = ijkToLps(g, [i, j, k]);
        if (Math.hypot(p[0] - centre[0], p[1] - centre[1]) <= r) vals.push(ph.voxels[i + g.dims[0] * (j + g.dims[1] * k)]);
      }
    const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, v) => a + (v - mean) ** 2, 0) / (vals.length - 1));
    expect(shown.n).toBe(vals.length);
    expect(shown.mean).toBeCloseTo(mean, 6);
    expect(shown.sd).toBeCloseTo(sd, 6);
    expect(shown.min).toBe(Math.min(...vals));
    expect(shown.max).toBe(Math.max(...vals));
    // The circle holds the nodule (30 HU) and lung around it (-850 HU).
    expect(shown.max).toBe(30);
    expect(shown.min).toBe(-850);
    await screenshot(page, 'reading-hu-roi');
    await page.keyboard.press('Escape');
  });
});
