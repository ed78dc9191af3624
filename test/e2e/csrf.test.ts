// Regression test for issue 10, failure 9, in real Chromium against `pulmo serve`: a page served from another
// port of 127.0.0.1 (same site, so the SameSite=Strict session cookie IS sent) submits a form to the API with
// the user's cookie. The server refuses it on Origin / Sec-Fetch-Site, naming the header; no import starts.
// The server's own page, with the same cookie, is served.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, launchChromium, startServe, type PulmoServer } from './helpers/pulmoBrowser';

let dir: string;
let pulmo: PulmoServer;
let attacker: http.Server;
let attackerOrigin: string;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-csrf-'));
  pulmo = await startServe(path.join(dir, 'data'));
  // A text/plain form body that is valid JSON: name + '=' + value.
  const name = JSON.stringify({ paths: [dir], pad: '' }).slice(0, -2);
  attacker = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><title>evil</title>
      <form id="f" method="POST" enctype="text/plain" action="${pulmo.origin}/api/import.start"><input name='${name}' value='"}'></form>
      <script>document.getElementById('f').submit()</script>`);
  });
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', () => r()));
  attackerOrigin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  attacker?.close();
  await pulmo?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a page on another loopback port', () => {
  it('cannot start an import with the user cookie; the own page works', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pulmo.url); // sets the HttpOnly session cookie, as the user's own visit does
    expect((await context.cookies()).map((c) => c.name)).toContain('pulmo_token');
    const own = await page.evaluate(async () => (await fetch('/api/jobs.list', { method: 'POST', body: '{}' })).json());
    expect(own).toEqual({ ok: true, value: [] });

    const posted = page.waitForResponse((r) => r.url().endsWith('/api/import.start'));
    await page.goto(attackerOrigin);
    const r = await posted;
    expect((await r.request().allHeaders()).cookie).toMatch(/pulmo_token=/); // the browser did send the cookie
    expect(r.status()).toBe(403);
    expect(await r.json()).toMatchObject({ ok: false, error: { kind: 'unauthorized', field: 'Sec-Fetch-Site' } });

    await page.goto(pulmo.url);
    const after = await page.evaluate(async () => (await fetch('/api/jobs.list', { method: 'POST', body: '{}' })).json());
    expect(after).toEqual({ ok: true, value: [] }); // no import was started
    await context.close();
  }, 60_000);
});
