// Regression tests for issue 10, failures 4 (SIGINT), 5, 9 and 15: the review server survives an unreadable
// cache file, broken sockets and malformed HTTP; refuses API calls from another origin even with the user's
// cookie; answers every malformed request with a 4xx naming the field; and Ctrl+C always stops `pulmo serve`.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProtocolHandler } from '../../../src-main/app/protocol';
import { startServer, type RunningServer } from '../../../src-main/server/httpServer';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { addVolume, tempServices } from '../../unit/app/helpers';

let env: ReturnType<typeof tempServices>;
let server: RunningServer;

function request(pathname: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; json: { ok: boolean; error?: { kind: string; field?: string; message: string } } | null; body: Buffer }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathname, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        let json = null;
        try {
          json = JSON.parse(body.toString());
        } catch {
          json = null;
        }
        resolve({ status: res.statusCode ?? 0, json, body });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const auth = (): Record<string, string> => ({ Authorization: `Bearer ${server.token}` });
const post = (method: string, headers: Record<string, string> = {}, body = '{}') => request(`/api/${method}`, { method: 'POST', headers: { ...auth(), ...headers }, body });
const alive = async (): Promise<void> => expect((await post('app.info')).status).toBe(200);

beforeAll(async () => {
  env = tempServices();
  const staticDir = path.join(env.dir, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startServer({ services: env.services, staticDir });
});
afterAll(async () => {
  await server?.close();
  env?.cleanup();
});

describe('the review server under hostile conditions', () => {
  it('answers an unreadable volume cache file with an error, on both transports, and keeps serving (failure 5)', async () => {
    const { file } = addVolume(env.services, 'v1', [8, 8, 4]);
    fs.rmSync(file);
    fs.mkdirSync(file); // the cache file replaced by a folder
    const r = await request('/volume/v1', { headers: auth() });
    expect(r.status).toBe(500);
    expect(r.json?.error).toMatchObject({ kind: 'io', message: expect.stringMatching(/v1: its cache file .* is not a regular file; re-import the series/) });
    const handle = createProtocolHandler({ ctx: env.services.ctx, rendererDir: env.dir });
    const p = await handle(new Request('pulmo://volume/v1'));
    expect(p.status).toBe(500);
    fs.rmdirSync(file);
    fs.writeFileSync(file, Buffer.alloc(10)); // cut short
    expect((await request('/volume/v1', { headers: auth() })).json?.error?.message).toMatch(/holds 10 bytes, the index says 512/);
    await alive();
  });

  it('survives a client resetting its connection mid-stream and malformed HTTP', async () => {
    await new Promise<void>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => {
        s.write(`GET /volume/nope HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
        s.destroy();
        resolve();
      });
    });
    const raw = await new Promise<string>((resolve) => {
      const s = net.connect(server.port, '127.0.0.1', () => s.write('GARBAGE \x00\x01 NOT HTTP\r\n\r\n'));
      let got = '';
      s.on('data', (d) => (got += d.toString()));
      s.on('close', () => resolve(got));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    await alive();
  });

  it('refuses API calls from another origin or site, token or not (failure 9)', async () => {
    const other = await post('app.info', { Origin: 'http://127.0.0.1:1' });
    expect(other.status).toBe(403);
    expect(other.json?.error).toMatchObject({ kind: 'unauthorized', field: 'Origin' });
    for (const site of ['same-site', 'cross-site']) {
      const r = await post('import.start', { 'Sec-Fetch-Site': site }, JSON.stringify({ paths: ['/tmp'] }));
      expect(r.status, site).toBe(403);
      expect(r.json?.error?.field).toBe('Sec-Fetch-Site');
    }
    expect(env.services.jobs.list()).toEqual([]); // nothing was started
    // The server's own page is let through.
    expect((await post('app.info', { Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
  });

  it('answers malformed requests with a 4xx naming the field, never a 500 (failure 15)', async () => {
    const cases: [string, Promise<Awaited<ReturnType<typeof request>>>, number, string][] = [
      ['bad %-escape in a path', request('/%E0%A4%A', { headers: auth() }), 400, 'path'],
      ['bad %-escape in a method', request('/api/%E0%A4%A', { method: 'POST', headers: auth(), body: '{}' }), 400, 'method'],
      ['bad %-escape in a volume id', request('/volume/%E0%A4%A', { headers: auth() }), 400, 'volumeId'],
      ['a JSON array body', post('app.info', {}, '[1,2]'), 400, 'body'],
      ['a JSON null body', post('app.info', {}, 'null'), 400, 'body'],
      ['not JSON', post('app.info', {}, '{"a":'), 400, 'body'],
      ['a body over 1 MB', post('app.info', {}, ' '.repeat((1 << 20) + 10)), 413, 'body'],
      ['GET on the API', request('/api/app.info', { headers: auth() }), 405, 'method'],
    ];
    for (const [what, pending, status, field] of cases) {
      const r = await pending;
      expect(r.status, what).toBe(status);
      expect(r.json?.error?.field, what).toBe(field);
    }
    await alive();
  });
});

describe('pulmo serve', () => {
  const root = tempDir('serve-sigint');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stops on Ctrl+C while an import of a folder with a FIFO runs (failure 4)', async () => {
    buildMain();
    const src = path.join(root, 'src');
    fs.mkdirSync(src);
    execFileSync('mkfifo', [path.join(src, 'pipe')]);
    const child = spawn(process.execPath, [pulmoBin, 'serve', '--data', path.join(root, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d) => {
        out += d.toString();
        const m = /http:\/\/\S+/.exec(out);
        if (m) resolve(m[0]);
      });
      child.on('exit', (c) => reject(new Error(`serve exited early (${c})`)));
    });
    const u = new URL(url);
    const token = u.searchParams.get('token')!;
    const res = await fetch(`${u.origin}/api/import.start`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ paths: [src] }) });
    const { value } = (await res.json()) as { value: { jobId: string } };
    // The import finishes (the FIFO is rejected, not opened) ...
    type Job = { state: string; errors: { code: string }[] };
    const getJob = async (): Promise<Job> => {
      const j = await fetch(`${u.origin}/api/jobs.get`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify({ jobId: value.jobId }) });
      return ((await j.json()) as { value: Job }).value;
    };
    let job = await getJob();
    for (let i = 0; i < 100 && job.state !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = await getJob();
    }
    expect(job.state).toBe('done');
    expect(job.errors.map((e) => e.code)).toEqual(['not_regular_file']);
    // ... and Ctrl+C stops the server.
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running'), 15_000))]);
    if (code === 'still running') child.kill('SIGKILL');
    expect(code).toBe(0);
  }, 60_000);
});
