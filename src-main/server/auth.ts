// Per-launch token: required on every request, as a Bearer header, the session cookie, or ?token= once.
import crypto from 'node:crypto';
import type http from 'node:http';

export const COOKIE = 'pulmo_token';

export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

export function tokenFrom(req: http.IncomingMessage, url: URL): { token: string | null; via: 'header' | 'cookie' | 'query' | null } {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return { token: auth.slice(7), via: 'header' };
  const cookie = req.headers.cookie ?? '';
  for (const part of cookie.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === COOKIE) return { token: v.join('='), via: 'cookie' };
  }
  const q = url.searchParams.get('token');
  if (q) return { token: q, via: 'query' };
  return { token: null, via: null };
}

export function isAuthorized(req: http.IncomingMessage, url: URL, expected: string): { ok: boolean; via: string | null } {
  const { token, via } = tokenFrom(req, url);
  return { ok: token !== null && same(token, expected), via };
}

/**
 * A state-changing request (every API call) must come from this server's own page: a browser says where a
 * request comes from in Origin and Sec-Fetch-Site, and a page on another port of 127.0.0.1 (same site, other
 * origin) would otherwise ride the user's cookie. Clients that send neither (the CLI, curl, tests) still need
 * the token. Returns the offending header and why, or null.
 */
export function crossOriginRefusal(req: http.IncomingMessage, port: number): { field: string; message: string } | null {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return { field: 'Sec-Fetch-Site', message: `Refused: a ${site} request may not call the API (only this server's own page may)` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) {
    return { field: 'Origin', message: `Refused: origin ${origin.slice(0, 100)} may not call the API (only this server's own page may)` };
  }
  return null;
}

function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`];
}

/** Requests must name this server by a loopback host (blocks DNS-rebinding pages from reaching the API). */
export function hostAllowed(req: http.IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}
