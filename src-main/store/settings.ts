// Site settings (key → JSON) and the reader profile of this workstation.
import type { Db } from './db';
import type { ReaderProfile } from '../shared/readTypes';

export function getSetting<T>(db: Db, key: string): T | null {
  const row = db.prepare('SELECT value_json FROM settings WHERE key = ?').get(key) as { value_json: string } | undefined;
  return row ? (JSON.parse(row.value_json) as T) : null;
}

export function putSetting(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json').run(key, JSON.stringify(value));
}

/** The current reader: the latest profile entered on this workstation (null before the first run's prompt). */
export function currentReader(db: Db): ReaderProfile | null {
  return (db.prepare('SELECT id, name, role FROM reader_profiles ORDER BY id DESC LIMIT 1').get() as ReaderProfile | undefined) ?? null;
}

export function insertReader(db: Db, name: string, role: string, at: string): ReaderProfile {
  const r = db.prepare('INSERT INTO reader_profiles (name, role, created_at) VALUES (?, ?, ?)').run(name, role, at);
  return { id: Number(r.lastInsertRowid), name, role };
}
