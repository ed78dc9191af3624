// The app's own origin. The renderer is only ever loaded from pulmo://app/… (never file:// or a remote origin),
// so one origin check decides whether a frame is ours.
export const SCHEME = 'pulmo';
export const APP_HOST = 'app';
export const VOLUME_HOST = 'volume';
export const APP_ORIGIN = `${SCHEME}://${APP_HOST}`;
/** The origin the renderer fetches voxel data from (`pulmo://volume/<id>`); it must be in the CSP's connect-src. */
export const VOLUME_ORIGIN = `${SCHEME}://${VOLUME_HOST}`;

/** The renderer's entry URL; `hash` is a renderer route such as `#/series/<uid>`. */
export function appUrl(hash = ''): string {
  return `${APP_ORIGIN}/index.html${hash && !hash.startsWith('#') ? `#${hash}` : hash}`;
}

/** True when `url` parses and belongs to the pulmo://app origin. */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === `${SCHEME}:` && u.host === APP_HOST && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}

/**
 * The renderer route (hash) of a deep link in a command line, e.g. `pulmo://app/index.html#/series/1.2.3` passed by
 * the OS when a pulmo:// link is opened. Only pulmo://app URLs count; anything else is ignored.
 */
export function deepLinkHash(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (!arg.startsWith(`${SCHEME}://`) || !isAppUrl(arg)) continue;
    const hash = new URL(arg).hash;
    return /^#\/[A-Za-z0-9._/-]*$/.test(hash) ? hash : '';
  }
  return null;
}
