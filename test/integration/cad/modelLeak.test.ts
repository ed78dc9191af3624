// Regression test for issue 10, failure 11: `models add` on a folder whose manifest.json or model.onnx is a
// symbolic link to a file outside it (e.g. /etc/shadow) refuses it without reading it: the error names the
// field and the reason, never the file's first characters nor its SHA-256.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../../src-main/cad/registry';
import { detectorBytes, detectorManifest, writeModelDir } from '../../fixtures/models/buildModels';
import { errorMessage } from '../../../src-main/shared/errorCodes';
import { describeThrown } from '../../../src-main/dicom/codecs/errors';

let tmp: string;
let reg: ModelRegistry;
const SECRET = 'root:$6$s3cr3tHASHvalue:19000:0:99999:7:::\n';
let secretFile: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-leak-'));
  reg = new ModelRegistry(path.join(tmp, 'builtin'), path.join(tmp, 'user'));
  secretFile = path.join(tmp, 'shadow');
  fs.writeFileSync(secretFile, SECRET);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const leaks = (message: string): boolean =>
  message.includes('s3cr3t') || message.includes('root:') || message.includes(crypto.createHash('sha256').update(SECRET).digest('hex'));

describe('models add with links out of the model folder', () => {
  it('refuses a manifest.json linked outside, without quoting it', async () => {
    const b = detectorBytes();
    const dir = writeModelDir(tmp, 'm1', b, detectorManifest(b));
    fs.rmSync(path.join(dir, 'manifest.json'));
    fs.symlinkSync(secretFile, path.join(dir, 'manifest.json'));
    const err = await reg.add(dir).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/manifest\.json: lies outside the model folder .*refused, not read/);
    expect(leaks(err!.message)).toBe(false);
  });

  it('refuses a model.onnx linked outside, without hashing it', async () => {
    const b = detectorBytes();
    const dir = writeModelDir(tmp, 'm2', b, detectorManifest(b, { sha256: 'a'.repeat(64) }));
    fs.rmSync(path.join(dir, 'model.onnx'));
    fs.symlinkSync(secretFile, path.join(dir, 'model.onnx'));
    const err = await reg.add(dir).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/model\.onnx: "file" lies outside the model folder/);
    expect(leaks(err!.message)).toBe(false);
  });

  it('says where a manifest is not JSON, not what it says', async () => {
    const b = detectorBytes();
    const dir = writeModelDir(tmp, 'm3', b, detectorManifest(b));
    fs.writeFileSync(path.join(dir, 'manifest.json'), SECRET);
    const err = await reg.add(dir).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/manifest\.json: is not valid JSON/);
    expect(leaks(err!.message)).toBe(false);
  });
});

// Failure 14: 104 rejections once read "[object Object]" (WASM codecs throw plain objects).
describe('messages of anything thrown', () => {
  it.each([
    [{ message: 'bad marker' }, 'bad marker'],
    [{ exception: new Error('inner') }, 'inner'],
    [{ code: 7, where: 'huffman' }, '{"code":7,"where":"huffman"}'],
    ['plain', 'plain'],
  ])('%j -> %s', (thrown, expected) => {
    expect(errorMessage(thrown)).toBe(expected);
    expect(describeThrown(thrown)).toBe(expected);
  });
  it('never answers [object Object]', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(errorMessage(cyclic)).not.toBe('[object Object]');
  });
});
