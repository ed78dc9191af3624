// The loopback HTTP transport of the API: the renderer runs unchanged in a browser against it (headless review,
// tests). Same methods and validation as Electron IPC, through services/dispatch.
import fs from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Services } from '../services';
import { dispatch } from '../services/dispatch';
import { contentSecurityPolicy } from '../shared/csp';
import { openCachedVolume } from '../store/volumeCache';
import { mimeOf } from '../shared/mime';
import { COOKIE, crossOriginRefusal, hostAllowed, isAuthorized, newToken } from './auth';
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
  conflict: 409,
  unsupported: 422,
  io: 500,
  cancelled: 409,
  read_only: 409,
  unauthorized: 401,
  internal: 500,
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

class BodyTooLarge extends Error {}

function sendError(res: http.ServerResponse, status: number, kind: ErrorKind, message: string, field?: string): void {
  sendJson(res, status, { ok: false, error: field ? { kind, message, field } : { kind, message } });
}

/** A path component, or null when its %-escapes are malformed (a 400, not a thrown URIError). */
function decodePath(p: string): string | null {
  try {
    return decodeURIComponent(p);
  } catch {
    return null;
  }
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
        reject(new BodyTooLarge(`Request body over ${MAX_BODY} bytes`));
        req.resume(); // drain the rest so the 413 can be read
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
    for (const c of sseClients) if (!c.destroyed) c.write(frame);
  });

  const server = http.createServer(async (req, res) => {
    // A client that resets its connection mid-request must cost nothing but that request.
    req.on('error', () => res.destroy());
    res.on('error', () => res.destroy());
    try {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://127.0.0.1'); // the Host header is checked below, never parsed into the URL
      } catch {
        return sendError(res, 400, 'validation', 'Malformed request target', 'url');
      }
      if (!hostAllowed(req, port)) return sendError(res, 403, 'unauthorized', 'Host header is not a loopback name of this server', 'Host');
      const auth = isAuthorized(req, url, token);
      if (!auth.ok) return sendError(res, 401, 'unauthorized', 'Missing or wrong access token: open the URL printed by `pulmo serve`', 'token');

      if (url.pathname.startsWith('/api/')) {
        const method = decodePath(url.pathname.slice(5));
        if (method === null) return sendError(res, 400, 'validation', 'Malformed %-escape in the API method name', 'method');
        if (method === 'events' && req.method === 'GET') {
          res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
          res.write(': connected\n\n');
          sseClients.add(res);
          res.on('close', () => sseClients.delete(res));
          req.on('close', () => sseClients.delete(res));
          return;
        }
        if (req.method !== 'POST') return sendError(res, 405, 'validation', 'API calls are POST with a JSON body', 'method');
        const crossOrigin = crossOriginRefusal(req, port);
        if (crossOrigin) return sendError(res, 403, 'unauthorized', crossOrigin.message, crossOrigin.field);
        let args: unknown;
        try {
          const text = await readBody(req);
          args = text.trim() ? JSON.parse(text) : {};
        } catch (err) {
          if (err instanceof BodyTooLarge) return sendError(res, 413, 'validation', err.message, 'body');
          return sendError(res, 400, 'validation', `Body is not valid JSON: ${(err as Error).message}`, 'body');
        }
        if (args === null || typeof args !== 'object' || Array.isArray(args)) return sendError(res, 400, 'validation', 'The JSON body must be an object of named arguments', 'body');
        const result = await dispatch(services.handlers, method, args);
        return sendJson(res, result.ok ? 200 : STATUS[result.error.kind], result);
      }

      if (url.pathname.startsWith('/volume/') && (req.method === 'GET' || req.method === 'HEAD')) {
        const v = openCachedVolume(services.ctx.db, services.ctx.volumesDir, url.pathname.slice(8));
        if (!v.ok) return sendError(res, v.status, v.kind, v.message, v.kind === 'validation' ? 'volumeId' : undefined);
        res.writeHead(200, { ...baseHeaders(), 'Content-Type': 'application/octet-stream', 'Content-Length': v.size, 'Cache-Control': 'no-store' });
        if (req.method === 'HEAD') return res.end();
        const stream = v.open();
        stream.on('error', () => res.destroy()); // headers are out: cut the response short, keep the server
        stream.pipe(res);
        return;
      }

      if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'validation', 'Method not allowed', 'method');
      const decoded = decodePath(url.pathname);
      if (decoded === null) return sendError(res, 400, 'validation', 'Malformed %-escape in the path', 'path');
      const rel = url.pathname === '/' ? 'index.html' : decoded.replace(/^\/+/, '');
      const file = path.resolve(staticRoot, rel);
      if (!file.startsWith(staticRoot + path.sep)) return sendJson(res, 404, { ok: false, error: { kind: 'not_found', message: 'Not found' } });
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        if (rel === 'index.html') return sendJson(res, 500, { ok: false, error: { kind: 'io', message: `The renderer is not built (${staticRoot} missing): run \`npm run build\`` } });
        return sendJson(res, 404, { ok: false, error: { kind: 'not_found', message: 'Not found' } });
      }
      const data = fs.readFileSync(file);
      const headers: Record<string, string | number> = {
        ...baseHeaders(),
        'Content-Type': mimeOf(path.extname(file)),
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

  // Malformed HTTP (bad request line, oversized headers): answer 400 where the socket still takes it.
  server.on('clientError', (_err: Error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
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
