// Stored findings are read through a schema and a version, never a bare cast.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FINDING_SCHEMA_VERSION, StoredFindingError, parseStoredFinding } from '../../../src-main/store/findingRecord';
import { openDatabase } from '../../../src-main/store/db';
import { findingsOfRun } from '../../../src-main/store/findings';
import { seedFindings, seedSeries } from '../../fixtures/store/seedCase';
import type { Finding } from '../../../src-main/shared/types';
import type { HuVolume } from '../../../src-main/shared/geometry';

const finding: Finding = {
  id: 'f1',
  seriesInstanceUID: '1.2.3',
  source: 'reader',
  label: 'R1',
  centerLPS: [1, 2, 3],
  boxLPS: { min: [0, 1, 2], max: [2, 3, 4] },
  diameterMm: 6,
  longAxisMm: 7,
  shortAxisMm: 5,
  volumeMm3: 113,
  meanHU: 20,
  type: 'solid',
  lungRads: '3',
  brock: null,
  classProbs: null,
  score: null,
  modelId: null,
  modelVersion: null,
  runId: null,
  contours: [],
};

describe('stored finding schema', () => {
  it('reads a valid row and keeps fields newer code added', () => {
    const withExtra = { ...finding, readerNote: 'kept' };
    const f = parseStoredFinding('f1', FINDING_SCHEMA_VERSION, JSON.stringify(withExtra)) as Finding & { readerNote?: string };
    expect(f.centerLPS).toEqual([1, 2, 3]);
    expect(f.readerNote).toBe('kept');
  });

  it('names the finding and the field of a corrupt row', () => {
    const bad = { ...finding, centerLPS: [1, 2] };
    expect(() => parseStoredFinding('f9', 1, JSON.stringify(bad))).toThrow(/Finding f9: stored data is invalid at centerLPS/);
    expect(() => parseStoredFinding('f9', 1, '{not json')).toThrow(StoredFindingError);
  });

  it('refuses a row written by a newer schema rather than guessing', () => {
    expect(() => parseStoredFinding('f2', FINDING_SCHEMA_VERSION + 1, JSON.stringify(finding))).toThrow(/newer Pulmo/);
  });

  it('round-trips through a real SQLite file with its schema version', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-finding-'));
    const { db } = openDatabase(path.join(dir, 'pulmo.sqlite'));
    try {
      const vol: HuVolume = { voxels: new Int16Array(8), geometry: { dims: [2, 2, 2], spacing: [1, 1, 1], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] } };
      const { volumeId } = seedSeries(db, dir, vol, { seriesInstanceUID: '1.2.3' });
      const cad: Finding = { ...finding, source: 'cad' };
      seedFindings(db, volumeId, [cad]);
      expect((db.prepare('SELECT schema_version FROM findings').get() as { schema_version: number }).schema_version).toBe(FINDING_SCHEMA_VERSION);
      expect(findingsOfRun(db, cad.runId!)[0].diameterMm).toBe(6);
      db.prepare(`UPDATE findings SET data_json = '{"id":"f1"}'`).run(); // a corrupt row, written behind the product's back
      expect(() => findingsOfRun(db, cad.runId!)).toThrow(/Finding f1: stored data is invalid/);
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
