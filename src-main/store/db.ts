// Opens the SQLite case index: WAL, foreign keys, numbered migrations checked against PRAGMA user_version.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { latestVersion, migrations } from './migrations';

export type Db = Database.Database;

export interface OpenedDb {
  db: Db;
  path: string;
  readOnly: boolean;
  readOnlyReason?: string;
}

export function openDatabase(dbPath: string): OpenedDb {
  fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  const db = new Database(dbPath);
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > latestVersion) {
    // Written by a newer Pulmo: never migrate down or write; open read-only and say why.
    db.close();
    const ro = new Database(dbPath, { readonly: true, fileMustExist: true });
    ro.pragma('foreign_keys = ON');
    return {
      db: ro,
      path: dbPath,
      readOnly: true,
      readOnlyReason: `The case database ${dbPath} was written by a newer version of Pulmo (schema ${found}, this version knows up to ${latestVersion}); it is open read-only. Update Pulmo to make changes.`,
    };
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  for (const m of migrations) {
    if (m.version <= found) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return { db, path: dbPath, readOnly: false };
}
