// The case index on a real SQLite file: migrations, pragmas, and the read-only guard for newer schemas.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/db';
import { latestVersion } from '../../../src-main/store/migrations';

const dirs: string[] = [];
function tmpDb(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-db-'));
  dirs.push(d);
  return path.join(d, 'pulmo.sqlite');
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('openDatabase', () => {
  it('creates the schema with WAL and foreign keys on', () => {
    const file = tmpDb();
    const { db, readOnly } = openDatabase(file);
    expect(readOnly).toBe(false);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(latestVersion);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as { name: string }[]).map((t) => t.name);
    for (const t of ['patients', 'studies', 'series', 'instances', 'volumes', 'import_jobs', 'import_errors', 'cad_runs', 'findings', 'measurements', 'reviews', 'audit']) {
      expect(tables).toContain(t);
    }
    db.close();
  });

  it('enforces foreign keys (no orphan studies)', () => {
    const { db } = openDatabase(tmpDb());
    expect(() => db.prepare("INSERT INTO studies (study_uid, patient_ref, imported_at) VALUES ('1.2', 999, 'now')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('re-opening is idempotent', () => {
    const file = tmpDb();
    openDatabase(file).db.close();
    const again = openDatabase(file);
    expect(again.db.pragma('user_version', { simple: true })).toBe(latestVersion);
    again.db.close();
  });

  it('opens a database written by a newer version read-only, with a clear reason', () => {
    const file = tmpDb();
    openDatabase(file).db.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion + 5}`);
    raw.close();
    const opened = openDatabase(file);
    expect(opened.readOnly).toBe(true);
    expect(opened.readOnlyReason).toMatch(/newer version of Pulmo/);
    expect(opened.readOnlyReason).toContain(file);
    expect(() => opened.db.prepare("INSERT INTO audit (at, actor, action) VALUES ('t','a','b')").run()).toThrow(/readonly/i);
    // and it did not migrate anything down
    expect(opened.db.pragma('user_version', { simple: true })).toBe(latestVersion + 5);
    opened.db.close();
  });
});
