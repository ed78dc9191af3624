// Session and provider-probe caches: one session per model+provider, a failed load is not cached.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedSessionCount, getSession, releaseSessions } from '../../../src-main/cad/session';
import { listExecutionProviders, probeProvider } from '../../../src-main/cad/providers';
import { detectorBytes } from '../../fixtures/models/buildModels';

afterAll(() => releaseSessions());

describe('session cache', () => {
  it('returns the same session for the same model and provider, a new one for another model', async () => {
    await releaseSessions();
    const a = await getSession('m@1#x', detectorBytes(), 'cpu');
    const b = await getSession('m@1#x', detectorBytes(), 'cpu');
    const c = await getSession('m@1#y', detectorBytes({ patch: 16 }), 'cpu');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
    expect(cachedSessionCount()).toBe(2);
  });

  it('does not cache a failed load, and says which model and provider failed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-session-'));
    const file = path.join(dir, 'model.onnx');
    fs.writeFileSync(file, 'garbage');
    const n = cachedSessionCount();
    await expect(getSession('broken@1', file, 'cpu')).rejects.toThrow(/Cannot load model broken@1 on cpu: /);
    expect(cachedSessionCount()).toBe(n);
    fs.writeFileSync(file, detectorBytes());
    await expect(getSession('broken@1', file, 'cpu')).resolves.toBeDefined();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('probes a provider once and reports the result in the diagnostics listing', async () => {
    const first = probeProvider('webgpu');
    expect(probeProvider('webgpu')).toBe(first);
    const r = await first;
    const listed = listExecutionProviders().find((p) => p.name === 'webgpu');
    expect(listed?.status).toBe(r.ok ? 'available' : 'unavailable');
    if (!r.ok) expect(listed?.detail).toBe(r.reason);
    expect((await probeProvider('cpu')).ok).toBe(true);
  });
});
