// Reads what the viewer drew: pixel statistics of a view's 2D canvas (where vtk.js copies each rendered frame)
// and the view frames the overlay uses (exposed on window by MprView), so tests can map LPS to pixels.
import type { Page } from 'playwright-core';
import type { ViewFrame } from '../../../src-renderer/viewer/viewGeometry';
import type { Vec3 } from '../../../src-main/shared/geometry';

export interface CanvasStats {
  mean: number;
  std: number;
  /** Fraction of pixels with grey 60..110 (lung parenchyma in the lung window). */
  fracMidGrey: number;
  hash: number;
}

export interface RegionStats {
  mean: number;
  /** Pixels with grey > 120. */
  brightCount: number;
  /** Mean grey of the brightest 2 % of the region. */
  topMean: number;
}

/** Lets pending React effects and vtk renders finish (two animation frames). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

export async function canvasStats(page: Page, view: string): Promise<CanvasStats> {
  await settle(page);
  return page.evaluate((v) => {
    const c = document.querySelector(`[data-testid=canvas-${v}] canvas`) as HTMLCanvasElement | null;
    if (!c || !c.width) return { mean: 0, std: 0, fracMidGrey: 0, hash: 0 };
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let sum2 = 0;
    let mid = 0;
    let hash = 2166136261;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const g = d[i];
      sum += g;
      sum2 += g * g;
      if (g >= 60 && g <= 110) mid++;
      if ((i & 63) === 0) hash = Math.imul(hash ^ g, 16777619) >>> 0;
    }
    const mean = sum / n;
    return { mean, std: Math.sqrt(Math.max(0, sum2 / n - mean * mean)), fracMidGrey: mid / n, hash };
  }, view);
}

/** Waits until the view shows an image (pixel standard deviation over 20), up to timeoutMs. */
export async function waitForPixels(page: Page, view: string, timeoutMs = 30_000): Promise<CanvasStats> {
  const t0 = Date.now();
  let s = await canvasStats(page, view);
  while (s.std <= 20 && Date.now() - t0 < timeoutMs) {
    await page.waitForTimeout(200);
    s = await canvasStats(page, view);
  }
  return s;
}

/** Statistics of the rectangle spanned by two points in the view's CSS pixels. */
export async function regionStats(page: Page, view: string, pts: { x: number; y: number }[]): Promise<RegionStats> {
  await settle(page);
  return page.evaluate(
    ({ v, pts }) => {
      const c = document.querySelector(`[data-testid=canvas-${v}] canvas`) as HTMLCanvasElement;
      const k = c.width / c.getBoundingClientRect().width;
      const x0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p.x)) * k));
      const x1 = Math.min(c.width, Math.ceil(Math.max(...pts.map((p) => p.x)) * k));
      const y0 = Math.max(0, Math.floor(Math.min(...pts.map((p) => p.y)) * k));
      const y1 = Math.min(c.height, Math.ceil(Math.max(...pts.map((p) => p.y)) * k));
      const d = c.getContext('2d')!.getImageData(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0)).data;
      const greys: number[] = [];
      for (let i = 0; i < d.length; i += 4) greys.push(d[i]);
      greys.sort((a, b) => b - a);
      const top = greys.slice(0, Math.max(1, Math.floor(greys.length / 50)));
      return {
        mean: greys.reduce((a, g) => a + g, 0) / greys.length,
        brightCount: greys.filter((g) => g > 120).length,
        topMean: top.reduce((a, g) => a + g, 0) / top.length,
      };
    },
    { v: view, pts },
  );
}

export async function frameOf(page: Page, view: string): Promise<ViewFrame & { planeOrigin: Vec3 }> {
  await settle(page);
  return page.evaluate((v) => (window as unknown as { __pulmoFrames: Record<string, ViewFrame & { planeOrigin: Vec3 }> }).__pulmoFrames[v], view);
}
