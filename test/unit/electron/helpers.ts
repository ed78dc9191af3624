// A real case index in a temp folder (real SQLite file, real volume cache) for the shell's tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices, type Services } from '../../../src-main/services';
import { createContext } from '../../../src-main/services/context';
import type { HuVolume } from '../../../src-main/shared/geometry';
import { writeVolumeCache } from '../../../src-main/store/volumeCache';

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
  const rel = writeVolumeCache(volumesDir, volumeId, vol);
  const now = new Date().toISOString();
  db.prepare("INSERT INTO patients (patient_id, patient_name) VALUES ('P1', 'TEST^ONE')").run();
  db.prepare("INSERT INTO studies (study_uid, patient_ref, imported_at) VALUES ('1.2.3', 1, ?)").run(now);
  db.prepare("INSERT INTO series (series_uid, study_ref, modality, imported_at) VALUES ('1.2.3.4', 1, 'CT', ?)").run(now);
  db.prepare('INSERT INTO volumes (id, series_ref, cache_path, geometry_json, min_hu, max_hu, byte_length, created_at) VALUES (?, 1, ?, ?, -1024, 3071, ?, ?)').run(
    volumeId,
    rel,
    JSON.stringify(vol.geometry),
    voxels.byteLength,
    now,
  );
  const file = path.join(volumesDir, rel);
  return { bytes: fs.readFileSync(file), file };
}
