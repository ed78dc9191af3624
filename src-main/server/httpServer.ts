// The loopback HTTP transport of the API: the renderer runs unchanged in a browser against it (headless review,
// tests). Same methods and validation as Electron IPC, through services/dispatch.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Services } from '../services';
import { dispatch } from '../services/dispatch';
import { contentSecurityPolicy } from '../shared/csp';
import { volumeCachePath } from '../store/cases';
import { COOKIE, hostAllowed, isAuthorized, newToken } from './auth';
import { isLoopbackHost } from './loopback';
import type { ErrorKind } from '../shared/errors';

export interface ServerOptions {
  services: Services;
  staticDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface RunningServer {
  url: string; // includes the token
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;
const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  not_found: 404,
  unsupported: 422,
  io: 500,
  cancelled: 409,
  read_only: 409,
  unauthorized: 401,
  internal: 500,
};
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

function baseHeaders(): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...baseHeaders(), 'Content-Type': 'application/json', 'Content-Length': data.length, 'Cache-Control': 'no-store' });
  res.end(data);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error(`Request body over ${MAX_BODY} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(`Refusing to listen on ${host}: the Pulmo review server binds loopback addresses only (127.0.0.1, ::1), so patient data never leaves this machine.`);
  }
  const token = opts.token ?? newToken();
  const { services } = opts;
  const staticRoot = path.resolve(opts.staticDir);
  let port = 0;
  const sseClients = new Set<http.ServerResponse>();
  const unsubscribe = services.ctx.events.on((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const c of sseClients) c.write(frame);
  });

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
      if (!hostAllowed(req, port)) return sendJson(res, 403, { ok: false, error: { kind: 'unauthorized', message: 'Host header is not a loopback name of this server' } });
      const auth = isAuthorized(req, url, token);
      if (!auth.ok) return sendJson(res, 401, { ok: false, error: { kind: 'unauthorized', message: 'Missing or wrong access token: open the URL printed by `pulmo serve`' } });

      if (url.pathname.startsWith('/api/')) {
        const method = decodeURIComponent(url.pathname.slice(5));
        if (method === 'events' && req.method === 'GET') {
          res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
          res.write(': connected\n\n');
          sseClients.add(res);
          req.on('close', () => sseClients.delete(res));
          return;
        }
        if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { kind: 'validation', message: 'API calls are POST with a JSON body' } });
        let args: unknown;
        try {
          const text = await readBody(req);
          args = text.trim() ? JSON.parse(text) : {};
        } catch (err) {
          return sendJson(res, 400, { ok: false, error: { kind: 'validation', message: `Body is not valid JSON: ${(err as Error).message}` } });
        }
        const result = await dispatch(services.handlers, method, args);
        return sendJson(res, result.ok ? 200 : STATUS[result.error.kind], result);
      }

      if (url.pathname.startsWith('/volume/') && (req.method === 'GET' || req.method === 'HEAD')) {
        const volumeId = decodeURIComponent(url.pathname.slice(8));
        const found = /^[A-Za-z0-9_-]{1,64}$/.test(volumeId) ? volumeCachePath(services.ctx.db, volumeId) : null;
        if (!found) return sendJson(res, 404, { ok: false, error: { kind: 'not_found', message: `No volume ${volumeId}` } });
        const file = path.resolve(services.ctx.volumesDir, found.cachePath);
        let size: number;
        try {
          size = fs.statSync(file).size;
        } catch {
          return sendJson(res, 404, { ok: false, error: { kind: 'not_found', message: `Volume ${volumeId} is indexed but its cache file ${file} is missing; re-import the series` } });
        }
        res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'application/octet-stream', 'Content-Length': size, 'Cache-Control': 'no-store' });
        if (req.method === 'HEAD') return res.end();
        fs.createReadStream(file).pipe(res);
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { kind: 'validation', message: 'Method not allowed' } });
      const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname).replace(/^\/+/, '');
      const file = path.resolve(staticRoot, rel);
      if (!file.startsWith(staticRoot + path.sep)) return sendJson(res, 404, { ok: false, error: { kind: 'not_found', message: 'Not found' } });
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        if (rel === 'index.html') return sendJson(res, 500, { ok: false, error: { kind: 'io', message: `The renderer is not built (${staticRoot} missing): run \`npm run build\`` } });
        return sendJson(res, 404, { ok: false, error: { kind: 'not_found', message: 'Not found' } });
      }
      const data = fs.readFileSync(file);
      const headers: Record<string, string | number> = {
        ...baseHeaders(),
        'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': data.length,
        'Cache-Control': 'no-store',
      };
      if (file.endsWith('.html')) {
        headers['Content-Security-Policy'] = contentSecurityPolicy();
        if (auth.via === 'query') headers['Set-Cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      }
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : data);
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { kind: 'internal', message: (err as Error).message } });
      else res.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        for (const c of sseClients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
