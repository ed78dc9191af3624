// A real case index in a temp folder (real SQLite file, real volume cache) for the shell's tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../../src-main/services';
import { createContext } from '../../../src-main/services/context';
import type { HuVolume } from '../../../src-main/shared/geometry';
import { getSeries } from '../../../src-main/store/cases';
import { seedSeries } from '../../fixtures/store/seedCase';

export function tempServices(): { services: Services; dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-electron-'));
  const services = createServices(createContext({ dataDir: dir }));
  return {
    services,
    dir,
    cleanup: () => {
      services.ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a small volume whose voxels are a ramp (so byte order and completeness show) and indexes it. */
export function addVolume(services: Services, volumeId: string, dims: [number, number, number]): { bytes: Buffer; file: string } {
  const { db, volumesDir } = services.ctx;
  const n = dims[0] * dims[1] * dims[2];
  const voxels = new Int16Array(n);
  for (let i = 0; i < n; i++) voxels[i] = (i % 4096) - 1024;
  const vol: HuVolume = { voxels, geometry: { dims, spacing: [0.7, 0.7, 1.25], origin: [-180, -180, -300], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] } };
  seedSeries(db, volumesDir, vol, { volumeId, seriesInstanceUID: '1.2.3.4', patientId: 'P1', patientName: 'TEST^ONE' });
  const rel = getSeries(db, '1.2.3.4', volumeId)!.cachePath!;
  const file = path.join(volumesDir, rel);
  return { bytes: fs.readFileSync(file), file };
}
