// The pulmo:// protocol: pulmo://app/<file> serves the built renderer, pulmo://volume/<id> streams a cached volume.
// A pure (Request) => Response function, so the whole protocol is tested in Node; main.ts hands it to
// protocol.handle. Mirrors GET /volume/<id> and the static files of src-main/server/httpServer.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AppContext } from '../services/context';
import { volumeCachePath } from '../store/cases';
import { APP_HOST, APP_ORIGIN, SCHEME, VOLUME_HOST } from './origin';
import { electronCsp } from './security';

/** The privileges the scheme is registered with (before app ready). */
export const SCHEME_PRIVILEGES = {
  standard: true, // real origins (pulmo://app), relative URLs, localStorage
  secure: true, // a secure context, like https
  supportFetchAPI: true, // the renderer fetch()es volumes
  corsEnabled: true, // pulmo://app fetching pulmo://volume is cross-origin
  stream: true, // stream large volume bodies instead of buffering them
  codeCache: true,
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const VOLUME_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface ProtocolOptions {
  ctx: Pick<AppContext, 'db' | 'volumesDir'>;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
}

function baseHeaders(): Record<string, string> {
  return { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' };
}

function jsonError(status: number, kind: string, message: string): Response {
  return new Response(JSON.stringify({ ok: false, error: { kind, message } }), {
    status,
    headers: { ...baseHeaders(), 'Content-Type': 'application/json' },
  });
}

type Body = ConstructorParameters<typeof Response>[0];

function fileBody(file: string, method: string): Body {
  if (method === 'HEAD') return null;
  return Readable.toWeb(fs.createReadStream(file)) as unknown as ReadableStream<Uint8Array>;
}

function serveVolume(opts: ProtocolOptions, url: URL, method: string): Response {
  const volumeId = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  const found = VOLUME_ID.test(volumeId) ? volumeCachePath(opts.ctx.db, volumeId) : null;
  const cors = { 'Access-Control-Allow-Origin': APP_ORIGIN, 'Access-Control-Expose-Headers': 'Content-Length' };
  if (!found) return jsonError(404, 'not_found', `No volume ${volumeId}`);
  const file = path.resolve(opts.ctx.volumesDir, found.cachePath);
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return jsonError(404, 'not_found', `Volume ${volumeId} is indexed but its cache file ${file} is missing; re-import the series`);
  }
  return new Response(fileBody(file, method), {
    status: 200,
    headers: { ...baseHeaders(), ...cors, 'Content-Type': 'application/octet-stream', 'Content-Length': String(size) },
  });
}

function serveApp(opts: ProtocolOptions, url: URL, method: string): Response {
  const root = path.resolve(opts.rendererDir);
  let rel: string;
  try {
    rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
  } catch {
    return jsonError(400, 'validation', `Malformed path ${url.pathname}`);
  }
  const file = path.resolve(root, rel);
  if (!file.startsWith(root + path.sep)) return jsonError(404, 'not_found', 'Not found');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    if (rel === 'index.html') return jsonError(500, 'io', `The renderer is not built (${root} has no index.html): run \`npm run build\``);
    return jsonError(404, 'not_found', `Not found: ${rel}`);
  }
  if (!stat.isFile()) return jsonError(404, 'not_found', `Not found: ${rel}`);
  const headers: Record<string, string> = {
    ...baseHeaders(),
    'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
    'Content-Length': String(stat.size),
  };
  if (file.endsWith('.html')) headers['Content-Security-Policy'] = electronCsp();
  return new Response(fileBody(file, method), { status: 200, headers });
}

/** The handler for protocol.handle('pulmo', …). */
export function createProtocolHandler(opts: ProtocolOptions): (req: Request) => Response {
  return (req) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return jsonError(400, 'validation', `Malformed URL ${req.url}`);
    }
    if (url.protocol !== `${SCHEME}:`) return jsonError(404, 'not_found', `Not a ${SCHEME}: URL`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return jsonError(405, 'validation', `${req.method} is not allowed on ${SCHEME}://`);
    if (url.host === VOLUME_HOST) return serveVolume(opts, url, req.method);
    if (url.host === APP_HOST) return serveApp(opts, url, req.method);
    return jsonError(404, 'not_found', `Unknown host ${url.host} (expected ${APP_HOST} or ${VOLUME_HOST})`);
  };
}
