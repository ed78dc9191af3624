// The pulmo:// protocol: pulmo://app/<file> serves the built renderer, pulmo://volume/<id> streams a cached volume.
// A pure (Request) => Response function, so the whole protocol is tested in Node; main.ts hands it to
// protocol.handle. Mirrors GET /volume/<id> and the static files of src-main/server/httpServer.ts.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { AppContext } from '../services/context';
import { openCachedVolume } from '../store/volumeCache';
import { mimeOf } from '../shared/mime';
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

/** A web stream of a file; a read error (file gone, swapped for a folder) errors the response body, nothing else. */
function streamBody(open: () => fs.ReadStream, method: string): Body {
  if (method === 'HEAD') return null;
  return Readable.toWeb(open()) as unknown as ReadableStream<Uint8Array>;
}

function serveVolume(opts: ProtocolOptions, url: URL, method: string): Response {
  const v = openCachedVolume(opts.ctx.db, opts.ctx.volumesDir, url.pathname.replace(/^\/+/, ''));
  if (!v.ok) return jsonError(v.status, v.kind, v.message);
  const cors = { 'Access-Control-Allow-Origin': APP_ORIGIN, 'Access-Control-Expose-Headers': 'Content-Length' };
  return new Response(streamBody(v.open, method), {
    status: 200,
    headers: { ...baseHeaders(), ...cors, 'Content-Type': 'application/octet-stream', 'Content-Length': String(v.size) },
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
    'Content-Type': mimeOf(path.extname(file)),
    'Content-Length': String(stat.size),
  };
  if (file.endsWith('.html')) headers['Content-Security-Policy'] = electronCsp();
  return new Response(streamBody(() => fs.createReadStream(file), method), { status: 200, headers });
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
