// The codecs as they ship: bundled by esbuild to CommonJS with node_modules external (as scripts/build.mjs
// does), loaded inside a worker_thread, decoding every codec family; results must equal the source pixels.
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { firstDifference } from '../../fixtures/codecs/compare';
import type { DecodeReply, DecodeRequest } from '../../fixtures/codecs/decodeWorker';
import { readImage, type ParsedImage } from '../../fixtures/codecs/dicomFile';
import { lidcSlices, repoRoot } from '../../fixtures/codecs/paths';
import { hasTool, runTool } from '../../fixtures/codecs/tools';

const ENCODERS: Array<[string, string[]]> = [
  ['dcmcjpeg', []],
  ['dcmcjpls', []],
  ['gdcmconv', ['--j2k']],
  ['dcmcrle', []],
];
// Inside node_modules so the bundle's external requires resolve to this checkout's packages.
const bundleDir = path.join(repoRoot, 'node_modules', '.cache', 'pulmo-codecs-test');
let dir = '';
let worker: Worker | undefined;
let source: ParsedImage;
const compressed: ParsedImage[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-codecs-worker-'));
  const slice = lidcSlices(1)[0];
  source = readImage(slice);
  for (const [tool, args] of ENCODERS) {
    if (!hasTool(tool)) continue;
    const out = path.join(dir, `${tool}.dcm`);
    runTool(tool, [...args, slice, out]);
    compressed.push(readImage(out));
  }
  await build({
    absWorkingDir: repoRoot,
    entryPoints: { decodeWorker: 'test/fixtures/codecs/decodeWorker.ts' },
    outdir: bundleDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  worker = new Worker(path.join(bundleDir, 'decodeWorker.js'));
});
afterAll(async () => {
  await worker?.terminate();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function decodeInWorker(req: DecodeRequest): Promise<DecodeReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: DecodeReply): void => {
      if (reply.id !== req.id) return;
      worker!.off('message', onMessage);
      resolve(reply);
    };
    worker!.on('message', onMessage);
    worker!.once('error', reject);
    worker!.postMessage(req);
  });
}

it('the bundled worker decodes JPEG lossless, JPEG-LS, JPEG 2000 and RLE concurrently, identically', async () => {
  expect(compressed.length).toBeGreaterThan(0);
  // Two rounds at once: the first requests race the one-time codec initialisation.
  const requests = [...compressed, ...compressed].map((img, id) => ({ id, uid: img.transferSyntaxUID, frame: img.frames[0], info: img.info }));
  const replies = await Promise.all(requests.map(decodeInWorker));
  for (const [k, reply] of replies.entries()) {
    expect('values' in reply ? 'ok' : `${reply.name}: ${reply.error}`, requests[k].uid).toBe('ok');
    if ('values' in reply) {
      expect(reply.values).toBeInstanceOf(Int16Array);
      expect(firstDifference(reply.values, source.native!), requests[k].uid).toBe(-1);
    }
  }
});

it('errors cross the worker boundary with their name and message', async () => {
  const reply = await decodeInWorker({ id: 99, uid: '1.2.3', frame: new Uint8Array(4), info: source.info });
  expect(reply).toMatchObject({ name: 'UnsupportedTransferSyntaxError', error: 'unsupported transfer syntax 1.2.3 (unknown transfer syntax)' });
});
