// The pulmo:// protocol against a real case index: volume bytes with the right length, the renderer's files with
// the CSP, and refusals for everything else.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEME_PRIVILEGES, createProtocolHandler } from '../../../src-main/app/protocol';
import { electronCsp } from '../../../src-main/app/security';
import { addVolume, tempServices } from './helpers';

const env = tempServices();
const rendererDir = path.join(env.dir, 'renderer');
fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
const indexHtml = '<!doctype html><title>Pulmo</title><div id="root"></div>';
fs.writeFileSync(path.join(rendererDir, 'index.html'), indexHtml);
fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
fs.writeFileSync(path.join(env.dir, 'secret.txt'), 'outside the renderer');
const volume = addVolume(env.services, 'vol_1', [17, 13, 5]);
const handle = createProtocolHandler({ ctx: env.services.ctx, rendererDir });
afterAll(() => env.cleanup());

const get = (url: string, method = 'GET') => handle(new Request(url, { method }));
const errorOf = async (res: Response) => ((await res.json()) as { error: { kind: string; message: string } }).error;

describe('pulmo://volume/<id>', () => {
  it('streams the cached int16 voxels with the correct Content-Length and CORS for pulmo://app', async () => {
    const res = await get('pulmo://volume/vol_1');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(Number(res.headers.get('content-length'))).toBe(17 * 13 * 5 * 2);
    expect(res.headers.get('access-control-allow-origin')).toBe('pulmo://app');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(volume.bytes)).toBe(true);
    expect(new Int16Array(body.buffer, body.byteOffset, 4)).toEqual(new Int16Array([-1024, -1023, -1022, -1021]));
  });
  it('HEAD gives the length without a body', async () => {
    const res = await get('pulmo://volume/vol_1', 'HEAD');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBe(volume.bytes.length);
    expect(res.body).toBeNull();
  });
  it('404 for unknown or malformed ids', async () => {
    for (const url of ['pulmo://volume/nope', 'pulmo://volume/..%2F..%2Fpulmo.sqlite', 'pulmo://volume/a%20b']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect((await errorOf(res)).kind).toBe('not_found');
    }
  });
  it('names the missing cache file when the index points at nothing', async () => {
    fs.renameSync(volume.file, `${volume.file}.moved`);
    try {
      const res = await get('pulmo://volume/vol_1');
      expect(res.status).toBe(404);
      expect((await errorOf(res)).message).toContain(volume.file);
    } finally {
      fs.renameSync(`${volume.file}.moved`, volume.file);
    }
  });
});

describe('pulmo://app/…', () => {
  it('serves index.html with the CSP, for / and /index.html with a route hash', async () => {
    for (const url of ['pulmo://app/', 'pulmo://app/index.html#/series/1.2.3']) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toBe(electronCsp());
      expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(indexHtml));
      expect(await res.text()).toBe(indexHtml);
    }
  });
  it('serves assets with their MIME type', async () => {
    const res = await get('pulmo://app/assets/app.js');
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(await res.text()).toBe('console.log(1)');
  });
  it('never serves files outside the renderer folder', async () => {
    for (const url of ['pulmo://app/..%2Fsecret.txt', 'pulmo://app/%2e%2e/secret.txt', 'pulmo://app/../secret.txt', 'pulmo://app/assets', 'pulmo://app/%E0%A4%A']) {
      const res = await get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(await res.text()).not.toContain('outside the renderer');
    }
  });
  it('says how to fix a missing renderer build', async () => {
    const bare = createProtocolHandler({ ctx: env.services.ctx, rendererDir: path.join(env.dir, 'no-build') });
    const res = bare(new Request('pulmo://app/index.html'));
    expect(res.status).toBe(500);
    expect((await errorOf(res)).message).toMatch(/npm run build/);
  });
});

describe('everything else', () => {
  it('refuses other hosts and methods', async () => {
    expect(get('pulmo://evil/index.html').status).toBe(404);
    expect(get('pulmo://app/index.html', 'POST').status).toBe(405);
    expect(get('pulmo://volume/vol_1', 'DELETE').status).toBe(405);
  });
  it('registers the scheme as standard, secure, fetchable, CORS-enabled and streaming', () => {
    expect(SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true });
  });
});
