// The loopback HTTP transport against a real data folder and SQLite file.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';
import { startServer, type RunningServer } from '../../../src-main/server/httpServer';
import { seedSeries } from '../../fixtures/store/seedCase';
import { main as cli } from '../../../src-main/cli/index';
import { methodNames } from '../../../src-main/shared/api';

let dir: string;
let staticDir: string;
let ctx: AppContext;
let server: RunningServer;

function request(pathname: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const auth = () => ({ Authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-http-'));
  staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  ctx = createContext({ dataDir: path.join(dir, 'data') });
  server = await startServer({ services: createServices(ctx), staticDir });
});
afterAll(async () => {
  await server?.close();
  ctx?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('HTTP transport', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{40,}$/);
  });

  it('answers 401 to every route without the token', async () => {
    for (const [p, method] of [['/api/app.info', 'POST'], ['/', 'GET'], ['/volume/abc', 'GET'], ['/api/events', 'GET']] as const) {
      const r = await request(p, { method });
      expect(r.status, p).toBe(401);
    }
    const wrong = await request('/api/app.info', { method: 'POST', headers: { Authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('refuses requests whose Host is not this loopback server (DNS rebinding)', async () => {
    const r = await request('/api/app.info', { method: 'POST', headers: { ...auth(), Host: 'evil.example:80' } });
    expect(r.status).toBe(403);
  });

  it('serves the renderer with a CSP and sets an HttpOnly session cookie from ?token=', async () => {
    const r = await request(`/?token=${server.token}`);
    expect(r.status).toBe(200);
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-eval');
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const withCookie = await request('/api/app.info', { method: 'POST', headers: { Cookie: cookie.split(';')[0] } });
    expect(withCookie.status).toBe(200);
  });

  it('returns app info computed by the main side', async () => {
    const r = await request('/api/app.info', { method: 'POST', headers: auth(), body: '{}' });
    const body = JSON.parse(r.body.toString());
    expect(body.ok).toBe(true);
    expect(body.value.dataDir).toBe(ctx.dataDir);
    expect(body.value.dbPath).toBe(path.join(ctx.dataDir, 'pulmo.sqlite'));
    expect(body.value.executionProviders.find((p: { name: string }) => p.name === 'cpu').status).toBe('available');
  });

  it('answers a malformed payload with a validation error naming the field', async () => {
    const r = await request('/api/cases.list', { method: 'POST', headers: auth(), body: JSON.stringify({ limit: -3 }) });
    expect(r.status).toBe(400);
    const body = JSON.parse(r.body.toString());
    expect(body).toMatchObject({ ok: false, error: { kind: 'validation', field: 'limit' } });
    const notJson = await request('/api/cases.list', { method: 'POST', headers: auth(), body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body.toString()).error.message).toMatch(/not valid JSON/);
  });

  it('answers a malformed payload to EVERY API method with a validation error, never a crash', async () => {
    for (const method of methodNames) {
      for (const body of [JSON.stringify({ notAField: 1 }), JSON.stringify([1, 2]), '"text"', '42']) {
        const r = await request(`/api/${method}`, { method: 'POST', headers: auth(), body });
        const parsed = JSON.parse(r.body.toString());
        expect(r.status, `${method} ${body}`).toBe(400);
        expect(parsed.ok).toBe(false);
        expect(parsed.error.kind, `${method} ${body}`).toBe('validation');
      }
    }
  });

  it('streams a cached volume with its exact content length', async () => {
    const voxels = new Int16Array(4 * 3 * 2).map((_, i) => i * 100 - 1000);
    seedSeries(ctx.db, ctx.volumesDir, { voxels, geometry: { dims: [4, 3, 2], spacing: [1, 1, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] } }, { volumeId: 'vol1', seriesInstanceUID: '1.2.3.4' });
    const r = await request('/volume/vol1', { headers: auth() });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe('48');
    expect(Array.from(new Int16Array(r.body.buffer.slice(r.body.byteOffset, r.body.byteOffset + 48)))).toEqual(Array.from(voxels));
    const open = JSON.parse((await request('/api/cases.open', { method: 'POST', headers: auth(), body: JSON.stringify({ seriesInstanceUID: '1.2.3.4' }) })).body.toString());
    expect(open.value.volume).toMatchObject({ volumeId: 'vol1', url: '/volume/vol1', byteLength: 48 });
    const missing = await request('/volume/nope', { headers: auth() });
    expect(missing.status).toBe(404);
  });

  it('pushes service events over server-sent events', async () => {
    const got = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: '/api/events', headers: auth() }, (res) => {
        let buf = '';
        res.on('data', (c) => {
          buf += c;
          if (buf.includes('cases.changed')) {
            req.destroy();
            resolve(buf);
          }
        });
        setTimeout(() => ctx.events.emit('cases.changed', { reason: 'test' }), 50);
      });
      req.on('error', reject);
    });
    expect(got).toContain('event: cases.changed\ndata: {"reason":"test"}');
  });

  it('refuses to bind a non-loopback address', async () => {
    await expect(startServer({ services: createServices(ctx), staticDir, host: '0.0.0.0' })).rejects.toThrow(/loopback addresses only/);
    const lines: string[] = [];
    const code = await cli(['serve', '--host', '192.168.1.10', '--data', path.join(dir, 'data')], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
    expect(code).not.toBe(0);
    expect(lines.join('\n')).toMatch(/refusing --host 192\.168\.1\.10/);
  });
});
