// Hooks the e2e tests and the benchmark read (view frames, the scene, a crosshair setter). They are put on
// `window` only when the page was opened with `?testHooks=1` (kept for the tab in sessionStorage), never in a
// reader's session.
const KEY = 'pulmo.testHooks';

function enabled(): boolean {
  if (typeof window === 'undefined') return false;
  if (new URLSearchParams(window.location.search).get('testHooks') === '1') sessionStorage.setItem(KEY, '1');
  return sessionStorage.getItem(KEY) === '1';
}

export const testHooksEnabled = enabled();

/** Sets window[name] = value when test hooks are on. */
export function exposeForTests(name: '__pulmoScene' | '__pulmoJump' | '__pulmoFrames' | '__pulmoViewer', value: unknown): void {
  if (testHooksEnabled) (window as unknown as Record<string, unknown>)[name] = value;
}

/** Merges `entry` into the window[name] record when test hooks are on (per-view frames). */
export function exposeEntryForTests(name: '__pulmoFrames', key: string, entry: unknown): void {
  if (!testHooksEnabled) return;
  const w = window as unknown as Record<string, Record<string, unknown> | undefined>;
  w[name] = { ...w[name], [key]: entry };
}
