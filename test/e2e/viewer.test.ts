// End-to-end: the viewer in Chromium (software WebGL2) against `pulmo serve`, on a synthetic chest phantom written
// into a real data folder. Asserts on rendered pixels (the views' 2D canvases) and on the overlay DOM.
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Finding, ImportSummary } from '../../src-main/shared/types';
import { lidcReferenceFindings } from '../../src-main/formats/lidcReference';
import { createContext } from '../../src-main/services/context';
import { worldToScreen } from '../../src-renderer/viewer/viewGeometry';
import { insertFindings, seedPhantomCase, type SeededCase } from '../fixtures/viewer/seedVolume';
import { teardown, launchChromium, repoRoot, screenshot, sharedData, startServe, watchConsole, type PulmoServer } from './helpers/pulmoBrowser';
import { canvasStats, frameOf, regionStats, waitForPixels } from './helpers/viewerPage';
import { VIEW_COLORS } from '../../src-renderer/viewer/presets';

let dataDir: string;
let server: PulmoServer;
let browser: Browser;
let page: Page;
let seeded: SeededCase;
let logs: string[];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-viewer-e2e-'));
  // 96×96×40 at 3.2×3.2×5 mm: small enough for software GL, anisotropic like a real chest CT.
  seeded = seedPhantomCase(dataDir, { dims: [96, 96, 40], spacing: [3.2, 3.2, 5] });
  server = await startServe(dataDir);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  logs = watchConsole(page);
  await page.goto(`${server.url}#/series/${seeded.seriesInstanceUID}`);
  try {
    await page.waitForSelector('[data-testid=viewer]', { timeout: 30_000 });
  } catch (err) {
    throw new Error(`viewer did not open: ${(err as Error).message}\npage text: ${await page.textContent('body')}\nconsole:\n${logs.join('\n')}`);
  }
}, 180_000);

afterAll(() => teardown({ browser, server, logs, dir: dataDir }));

describe('viewer on the phantom', () => {
  it('opens the deep link in the chest CT hanging protocol (axial large, coronal, sagittal; no 3D) and renders the three MPR views', async () => {
    for (const v of ['axial', 'coronal', 'sagittal'] as const) {
      const s = await waitForPixels(page, v);
      expect(s.std, `${v} view is blank; console:\n${logs.join('\n')}`).toBeGreaterThan(20);
    }
    expect(await page.getAttribute('[data-testid=view-grid]', 'data-layout')).toBe('1+2');
    expect(await page.locator('[data-testid=view-3d]').count()).toBe(0);
    const ax = (await page.locator('[data-testid=view-axial]').boundingBox())!;
    const cor = (await page.locator('[data-testid=view-coronal]').boundingBox())!;
    expect(ax.width * ax.height).toBeGreaterThan(3 * cor.width * cor.height); // the axial view is the large one
    // Orientation markers of the axial view (radiological convention).
    const text = await page.textContent('[data-testid=view-axial]');
    expect(text).toMatch(/Slice \d+ \/ 40 \(5\.00 mm\)/);
  });

  it('changes the pixel histogram with the lung and mediastinum presets', async () => {
    await page.keyboard.press('2'); // mediastinum W350/L50: lung (-850 HU) is black
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 350 / L 50'));
    const medi = await canvasStats(page, 'axial');
    await page.keyboard.press('1'); // lung W1500/L-600: lung is mid grey ((-850+600)/1500+0.5)*255 ≈ 85
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 1500 / L -600'));
    const lung = await canvasStats(page, 'axial');
    expect(medi.fracMidGrey).toBeLessThan(0.02);
    expect(lung.fracMidGrey).toBeGreaterThan(0.15);
  });

  it('pages the axial slice with the mouse wheel (down = toward the feet)', async () => {
    const before = await canvasStats(page, 'axial');
    const slice0 = Number(await page.getAttribute('[data-testid=view-axial]', 'data-slice'));
    const z0 = (await frameOf(page, 'axial')).planeOrigin[2];
    const box = (await page.locator('[data-testid=view-axial]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, 100);
    // The phantom's k axis runs toward the head (+S), so six slices toward the feet are k - 6, z - 30 mm.
    await page.waitForFunction((s0) => Number(document.querySelector('[data-testid=view-axial]')?.getAttribute('data-slice')) === s0 - 6, slice0);
    expect((await frameOf(page, 'axial')).planeOrigin[2]).toBeCloseTo(z0 - 30, 6);
    expect(z0).toBeCloseTo(seeded.geometry.origin[2] + slice0 * 5, 6); // the viewer starts on a real slice
    const after = await canvasStats(page, 'axial');
    expect(after.hash).not.toBe(before.hash);
    await page.keyboard.press('PageUp'); // five slices back toward the head
    await page.waitForFunction((s0) => Number(document.querySelector('[data-testid=view-axial]')?.getAttribute('data-slice')) === s0 - 1, slice0);
  });

  it('moves the coronal and sagittal crosshairs when the axial view is clicked', async () => {
    const axial = await frameOf(page, 'axial');
    const target: Vec3 = [seeded.geometry.origin[0] + 20, seeded.geometry.origin[1] + 90, axial.planeOrigin[2]];
    const at = worldToScreen(axial, target);
    const cor0 = await crosshair(page, 'coronal');
    const sag0 = await crosshair(page, 'sagittal');
    const box = (await page.locator('[data-testid=view-axial]').boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.waitForFunction((x0) => document.querySelector('[data-testid=crosshair-coronal]')?.getAttribute('data-x') !== x0, String(cor0.x.toFixed(1)));
    const cor = await crosshair(page, 'coronal');
    const sag = await crosshair(page, 'sagittal');
    // Where the coronal / sagittal crosshairs should be: the clicked LPS point projected into those views.
    const corExpect = worldToScreen(await frameOf(page, 'coronal'), target);
    const sagExpect = worldToScreen(await frameOf(page, 'sagittal'), target);
    expect(Math.abs(cor.x - corExpect.x)).toBeLessThan(1.5);
    expect(Math.abs(sag.x - sagExpect.x)).toBeLessThan(1.5);
    expect(Math.abs(cor.x - cor0.x)).toBeGreaterThan(5);
    expect(Math.abs(sag.x - sag0.x)).toBeGreaterThan(5);
  });

  it('pages five slices with shift-wheel, zooms with ctrl-wheel, windows with right-drag, and plays cine', async () => {
    const view = page.locator('[data-testid=view-axial]');
    const box = (await view.boundingBox())!;
    const slice = async () => Number(await view.getAttribute('data-slice'));
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const s0 = await slice();
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, -100); // toward the head: k + 5
    await page.keyboard.up('Shift');
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=view-axial]')?.getAttribute('data-slice')) === k + 5, s0);
    const mm0 = (await frameOf(page, 'axial')).mmPerPx;
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await page.waitForFunction((m) => (window as unknown as { __pulmoFrames: Record<string, { mmPerPx: number }> }).__pulmoFrames.axial.mmPerPx < m * 0.9, mm0);
    // Right-drag: 50 px right widens the window by 200 HU, 25 px down raises the level by 50 HU.
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + box.width / 2 + 50, box.y + box.height / 2 + 25, { steps: 5 });
    await page.mouse.up({ button: 'right' });
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 1700 / L -550 HU'));
    await page.keyboard.press('r'); // reset zoom
    await page.keyboard.press('1');
    await page.click('[data-testid=cine]');
    const c0 = await slice();
    await page.waitForFunction((k) => Number(document.querySelector('[data-testid=view-axial]')?.getAttribute('data-slice')) !== k, c0);
    await page.click('[data-testid=cine]');
    const c1 = await slice();
    await page.waitForTimeout(300);
    expect(await slice()).toBe(c1); // stopped
    // Back to where the wheel test expects to start.
    await page.evaluate((p) => (window as unknown as { __pulmoJump(p: number[]): void }).__pulmoJump(p), seeded.geometry.origin.map((o, a) => o + Math.floor((seeded.geometry.dims[a] - 1) / 2) * seeded.geometry.spacing[a]));
  });

  it('rotates the coronal and sagittal planes about the axial normal (oblique MPR) and resets', async () => {
    const before = await canvasStats(page, 'coronal');
    for (let i = 0; i < 6; i++) await page.keyboard.press('.'); // 6 × 5° about the axial view's normal
    await page.waitForFunction(() => document.querySelector('[data-testid=slice-coronal]')?.textContent?.startsWith('Oblique 30.0°'));
    const line = page.locator(`[data-testid=crosshair-axial] line[stroke="${VIEW_COLORS.coronal}"]`);
    const [x1, y1, x2, y2] = await Promise.all(['x1', 'y1', 'x2', 'y2'].map(async (a) => Number(await line.getAttribute(a))));
    // The coronal plane's trace in the axial view turned by 30° from the horizontal.
    expect(Math.abs(Math.sin(Math.atan2(y2 - y1, x2 - x1)))).toBeCloseTo(0.5, 3);
    const oblique = await waitForPixels(page, 'coronal');
    expect(oblique.hash).not.toBe(before.hash);
    await screenshot(page, 'viewer-oblique-30deg');
    await page.keyboard.press('r');
    await page.waitForFunction(() => document.querySelector('[data-testid=slice-coronal]')?.textContent?.startsWith('Slice '));
  });

  it('shows a brighter vessel tree in a 10 mm MIP slab than in the thin slice', async () => {
    // Centre the crosshair on the root of the vessel tree, in the right lung.
    const root = seeded.vesselRoot;
    await page.evaluate((p) => (window as unknown as { __pulmoJump(p: number[]): void }).__pulmoJump(p), root!);
    await page.selectOption('[data-testid=slab-mode]', 'thin');
    await page.waitForFunction(() => document.querySelector('[data-testid=slab-axial]')?.textContent === 'Thin slice');
    // A custom window (W 400 / L 100 HU): lung is black, chest wall (40 HU) grey 89, contrast vessels (150 HU) 159.
    await page.fill('[data-testid=window-input]', '400');
    await page.fill('[data-testid=level-input]', '100');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 400 / L 100 HU'));
    const frame = await frameOf(page, 'axial');
    const region = seeded.rightLungBox.map((p) => worldToScreen(frame, p));
    const thin = await regionStats(page, 'axial', region);
    await page.selectOption('[data-testid=slab-mode]', 'mip');
    await page.fill('[data-testid=slab-thickness]', '10');
    await page.waitForFunction(() => document.querySelector('[data-testid=slab-axial]')?.textContent === 'MIP slab 10.0 mm');
    const mip = await regionStats(page, 'axial', region);
    console.log('slab test: thin', JSON.stringify(thin), 'mip', JSON.stringify(mip));
    await screenshot(page, 'viewer-mip-10mm');
    // Inside the right lung only vessels render brighter than 120; the slab gathers the oblique branches.
    expect(thin.brightCount).toBeGreaterThan(0);
    expect(mip.brightCount).toBeGreaterThan(thin.brightCount * 1.5);
    expect(mip.topMean).toBeGreaterThan(thin.topMean + 8);
    await page.selectOption('[data-testid=slab-mode]', 'thin');
  });

  it('draws the CAD circle and the reference contour where the nodule is, and saves a 2x2 screenshot', async () => {
    const ref = seeded.findings.find((f) => f.source === 'reference')!;
    await page.click('[data-testid=preset-lung]'); // lung window: the nodule (30 HU) renders at about 234
    await page.click(`[data-testid=finding-row][data-finding-id="${ref.id}"]`);
    const poly = page.locator(`[data-testid=overlay-axial] [data-finding-id="${ref.id}"] polygon`);
    await poly.waitFor();
    const frame = await frameOf(page, 'axial');
    const c = worldToScreen(frame, ref.centerLPS);
    const pts = (await poly.getAttribute('points'))!.split(' ').map((s) => s.split(',').map(Number));
    const cx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    const cy = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    expect(Math.hypot(cx - c.x, cy - c.y)).toBeLessThan(1);
    // The nodule itself (30 HU, bright in the lung window) is under the contour's centre in the rendered pixels.
    const inside = await regionStats(page, 'axial', [{ x: c.x - 2, y: c.y - 2 }, { x: c.x + 2, y: c.y + 2 }]);
    expect(inside.mean).toBeGreaterThan(200);
    // Hovering the CAD outline shows its label with the stored diameter and score.
    const cadCircle = page.locator(`[data-testid=overlay-axial] [data-source=cad] circle`).first();
    const [ccx, ccy, cr] = await Promise.all(['cx', 'cy', 'r'].map(async (a) => Number(await cadCircle.getAttribute(a))));
    const abox = (await page.locator('[data-testid=view-axial]').boundingBox())!;
    await page.mouse.move(abox.x + ccx + cr, abox.y + ccy);
    await page.waitForSelector('[data-testid=overlay-axial] .finding-label');
    expect(await page.textContent('[data-testid=overlay-axial] .finding-label')).toMatch(/CAD 1 · 20\.0 mm · score 0\.90/);
    const coronalCad = page.locator('[data-testid=overlay-coronal] [data-source=cad] circle');
    expect(await coronalCad.count(), await page.innerHTML('[data-testid=overlay-coronal]')).toBeGreaterThan(0);
    await screenshot(page, 'viewer-2x2-overlay');
  });

  it('measures a length in mm and stores it through measurements.add', async () => {
    const frame = await frameOf(page, 'axial');
    const a: Vec3 = [frame.planeOrigin[0] - 20, frame.planeOrigin[1] + 10, frame.planeOrigin[2]];
    const b: Vec3 = [frame.planeOrigin[0] + 10, frame.planeOrigin[1] - 30, frame.planeOrigin[2]]; // 50 mm from a
    const box = (await page.locator('[data-testid=view-axial]').boundingBox())!;
    await page.click('[data-testid=tool-length]');
    for (const p of [a, b]) {
      const s = worldToScreen(frame, p);
      await page.mouse.click(box.x + s.x, box.y + s.y);
    }
    await page.waitForSelector('[data-testid=measurement-row]');
    const row = (await page.textContent('[data-testid=measurement-row]'))!;
    const mm = Number(/([\d.]+) mm/.exec(row)![1]);
    // Clicks land on whole pixels (0.83 mm here): the stored length is within two pixels of 50 mm.
    expect(Math.abs(mm - 50)).toBeLessThan(2 * frame.mmPerPx);
    expect(await page.locator('[data-testid=overlay-axial] [data-testid=measurement]').count()).toBe(1);
    const stored = await page.evaluate(async (uid) => {
      const token = sessionStorage.getItem('pulmo.token');
      const res = await fetch('/api/measurements.list', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ seriesInstanceUID: uid }) });
      return (await res.json()).value as { lengthMm: number }[];
    }, seeded.seriesInstanceUID);
    expect(stored).toHaveLength(1);
    expect(stored[0].lengthMm).toBeCloseTo(mm, 1);
    await screenshot(page, 'viewer-measurement');
    await page.keyboard.press('n');
  });

  it('deletes a measurement from the side panel, leaving an audit row', async () => {
    const id = await page.getAttribute('[data-testid=measurement-row]', 'data-measurement-id');
    await page.click('[data-testid=measurement-delete]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=measurement-row]').length === 0);
    expect(await page.locator('[data-testid=overlay-axial] [data-testid=measurement]').count()).toBe(0);
    const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM measurements').get()).toEqual({ n: 0 });
      const audit = db.prepare("SELECT detail_json FROM audit WHERE action = 'measurements.delete'").all() as { detail_json: string }[];
      expect(audit.map((a) => JSON.parse(a.detail_json).id)).toEqual([id]);
    } finally {
      db.close();
    }
  });

  it('jumps the MPR views to a finding when its 3D marker is clicked', async () => {
    await page.click('[data-testid=layout-2x2]');
    await page.waitForSelector('[data-testid=view-3d][data-render-state=idle]'); // 3D waits to be asked
    await page.click('[data-testid=render-3d]');
    const small = seeded.findings.find((f) => f.label === 'CAD 2')!;
    const marker = page.locator(`[data-testid=marker-3d][data-finding-id="${small.id}"]`);
    await marker.waitFor({ timeout: 30_000 });
    await marker.click();
    // The views land on the voxel nearest the finding's centre (within half a voxel on each axis).
    await page.waitForFunction((z) => {
      const f = (window as { __pulmoFrames?: Record<string, { planeOrigin: number[] }> }).__pulmoFrames?.axial;
      return f && Math.abs(f.planeOrigin[2] - z) <= 2.5;
    }, small.centerLPS[2]);
    const axial = await frameOf(page, 'axial');
    for (let a = 0; a < 3; a++) expect(Math.abs(axial.planeOrigin[a] - small.centerLPS[a])).toBeLessThanOrEqual(seeded.geometry.spacing[a] / 2 + 1e-6);
    const s3d = await canvasStats(page, '3d');
    expect(s3d.std).toBeGreaterThan(2); // the volume rendering drew something
  });

  it('switches layouts, maximises on double-click and shows the keyboard help', async () => {
    await page.click('[data-testid=layout-1x3]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=view-3d]'));
    expect(await page.locator('[data-testid=view-grid] > .mpr-view').count()).toBe(3);
    await page.dblclick('[data-testid=view-coronal]');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-grid]')?.getAttribute('data-layout') === 'max');
    expect(await page.locator('[data-testid=view-grid] > .mpr-view').count()).toBe(1);
    expect((await waitForPixels(page, 'coronal')).std).toBeGreaterThan(20);
    await page.dblclick('[data-testid=view-coronal]');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-grid]')?.getAttribute('data-layout') === '1x3');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help-sheet]');
    expect(await page.textContent('[data-testid=help-sheet]')).toContain('W1500/L−600');
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=help-sheet]', { state: 'detached' });
    await page.click('[data-testid=layout-2x2]');
    await page.waitForSelector('[data-testid=view-3d]');
  });

  it('survives a lost WebGL context and renders again when it is restored', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { __pulmoScene: { glCanvas(): { getContext(k: string): { getExtension(n: string): unknown } } }; __lose: unknown };
      w.__lose = w.__pulmoScene.glCanvas().getContext('webgl2').getExtension('WEBGL_lose_context');
      (w.__lose as { loseContext(): void }).loseContext();
    });
    await page.waitForSelector('[data-testid=context-lost]');
    await page.evaluate(() => ((window as unknown as { __lose: { restoreContext(): void } }).__lose.restoreContext()));
    await page.waitForSelector('[data-testid=context-lost]', { state: 'detached' });
    // Force a fresh frame of the axial view and check it has an image again.
    await page.keyboard.press('ArrowUp');
    expect((await waitForPixels(page, 'axial')).std).toBeGreaterThan(20);
    expect(logs.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  });

  it('remembers the view state of the case when the reader leaves and comes back', async () => {
    await page.fill('[data-testid=window-input]', '800');
    await page.fill('[data-testid=level-input]', '-300');
    const before = await frameOf(page, 'axial');
    await page.evaluate(() => (window.location.hash = '#/'));
    await page.waitForSelector('[data-testid=viewer]', { state: 'detached' });
    await page.evaluate((uid) => (window.location.hash = `#/series/${uid}`), seeded.seriesInstanceUID);
    await page.waitForSelector('[data-testid=viewer]');
    await page.waitForFunction(() => document.querySelector('[data-testid=view-axial]')?.textContent?.includes('W 800 / L -300 HU'));
    const after = await frameOf(page, 'axial');
    expect(after.planeOrigin).toEqual(before.planeOrigin);
    expect((await waitForPixels(page, 'axial')).std).toBeGreaterThan(5);
  });

  it('downsamples with a clear message when the texture would not fit the GPU budget', async () => {
    // Budget 0.5 MiB: the 96x96x40 phantom needs 1.4 MiB as a float texture (no EXT_texture_norm16 in SwiftShader).
    await page.evaluate(() => localStorage.setItem('pulmo.viewer.maxTextureMiB', '0.5'));
    await page.reload();
    try {
      await page.waitForSelector('[data-testid=viewer-notice]');
      const notice = (await page.textContent('[data-testid=viewer-notice]'))!;
      expect(notice).toMatch(/Reduced resolution: the full 96×96×40 volume/);
      expect(notice).toMatch(/Showing 48×48×40/);
      expect((await waitForPixels(page, 'axial')).std).toBeGreaterThan(20);
      expect(await page.textContent('[data-testid=view-axial]')).toMatch(/Slice \d+ \/ 40/);
    } finally {
      await page.evaluate(() => localStorage.removeItem('pulmo.viewer.maxTextureMiB'));
    }
  });
});

async function crosshair(page: Page, view: string): Promise<{ x: number; y: number }> {
  const g = page.locator(`[data-testid=crosshair-${view}]`);
  return { x: Number(await g.getAttribute('data-x')), y: Number(await g.getAttribute('data-y')) };
}


describe('viewer on an imported LIDC-IDRI crop', () => {
  const caseDir = path.join(sharedData, 'lidc-idri', 'LIDC-IDRI-0001');
  let lidc: { seriesInstanceUID: string; volumeId: string; nodule: Finding };

  beforeAll(async () => {
    // Real import through the CLI into the data folder the server is serving.
    const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'pulmo.js'), 'import', caseDir, '--data', dataDir, '--json'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pulmo import failed (${r.status}):\n${r.stderr}`);
    const summary = JSON.parse(r.stdout) as ImportSummary;
    const s = summary.series.find((x) => x.volumeId)!;
    // The reader outlines of 069.xml as reference findings (unless import already stored them).
    const ctx = createContext({ dataDir });
    try {
      const stored = ctx.db.prepare("SELECT data_json FROM findings WHERE volume_ref = ? AND source = 'reference'").all(s.volumeId!) as { data_json: string }[];
      let refs = stored.map((x) => JSON.parse(x.data_json) as Finding);
      if (!refs.length) {
        const xmlFile = fs.readdirSync(caseDir, { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.xml'))!;
        const geometry = JSON.parse((ctx.db.prepare('SELECT geometry_json FROM volumes WHERE id = ?').get(s.volumeId!) as { geometry_json: string }).geometry_json);
        refs = lidcReferenceFindings(fs.readFileSync(path.join(caseDir, xmlFile), 'utf8'), geometry, { seriesInstanceUID: s.seriesInstanceUID }).map((f) => ({ ...f, id: `${s.volumeId}-${f.id}` }));
        insertFindings(ctx, s.volumeId!, refs);
      }
      // The nodule of this crop sits on slices z = -125 … -105 mm.
      const nodule = refs.find((f) => f.centerLPS[2] > -125 && f.centerLPS[2] < -105)!;
      lidc = { seriesInstanceUID: s.seriesInstanceUID, volumeId: s.volumeId!, nodule };
    } finally {
      ctx.close();
    }
    await page.evaluate((uid) => (window.location.hash = `#/series/${uid}`), lidc.seriesInstanceUID);
    await page.waitForFunction(() => /Slice \d+ \/ 16/.test(document.querySelector('[data-testid=view-axial]')?.textContent ?? ''), undefined, { timeout: 30_000 });
  }, 120_000);

  it('draws the reader contour of the nodule where the nodule is', async () => {
    expect(lidc.nodule, 'no reference nodule between z -125 and -105 mm').toBeTruthy();
    await page.click('[data-testid=preset-lung]');
    await page.click(`[data-testid=finding-row][data-finding-id="${lidc.nodule.id}"]`);
    const poly = page.locator(`[data-testid=overlay-axial] [data-finding-id="${lidc.nodule.id}"] polygon`).first();
    await poly.waitFor();
    const pts = (await poly.getAttribute('points'))!.split(' ').map((p) => p.split(',').map(Number));
    const cx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
    const cy = pts.reduce((a, p) => a + p[1], 0) / pts.length;
    const frame = await frameOf(page, 'axial');
    const c = worldToScreen(frame, lidc.nodule.centerLPS);
    // The outline is around the reference centre (the readers' mean) ...
    expect(Math.hypot(cx - c.x, cy - c.y)).toBeLessThan(((lidc.nodule.diameterMm ?? 10) / 2) / frame.mmPerPx);
    // ... and the image under its centre is the solid nodule: soft tissue, bright in the lung window,
    // while the lung around it is darker.
    const inside = await regionStats(page, 'axial', [{ x: cx - 3, y: cy - 3 }, { x: cx + 3, y: cy + 3 }]);
    expect(inside.mean).toBeGreaterThan(170);
    // HU probe under the centre, read from the voxel array by the viewer.
    const box = (await page.locator('[data-testid=view-axial]').boundingBox())!;
    await page.mouse.move(box.x + cx, box.y + cy);
    const hu = Number(/(-?\d+) HU/.exec((await page.textContent('[data-testid=hu-axial]'))!)![1]);
    expect(hu).toBeGreaterThan(-300);
    await screenshot(page, 'viewer-lidc-0001-reference-contour');
  });
});
