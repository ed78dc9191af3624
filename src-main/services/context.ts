// Everything a service needs, created once per process by the CLI, the HTTP server or the Electron shell.
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../store/db';
import { closeInterruptedCadRuns } from '../store/cadRuns';
import { closeInterruptedImportJobs } from '../store/importJobs';
import { EventBus } from './events';
import { appVersion, defaultDataDir } from './paths';

export interface AppContext {
  version: string;
  dataDir: string;
  dbPath: string;
  volumesDir: string;
  modelsDir: string;
  db: Db;
  readOnly: boolean;
  readOnlyReason?: string;
  events: EventBus;
  close(): void;
}

export function createContext(opts: { dataDir?: string } = {}): AppContext {
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  fs.mkdirSync(dataDir, { recursive: true });
  const volumesDir = path.join(dataDir, 'volumes');
  const modelsDir = path.join(dataDir, 'models');
  fs.mkdirSync(volumesDir, { recursive: true });
  fs.mkdirSync(modelsDir, { recursive: true });
  const dbPath = path.join(dataDir, 'pulmo.sqlite');
  const opened = openDatabase(dbPath);
  if (!opened.readOnly) {
    // Jobs and runs a killed process left 'running' are closed as interrupted before anyone lists them.
    closeInterruptedImportJobs(opened.db);
    closeInterruptedCadRuns(opened.db);
  }
  return {
    version: appVersion(),
    dataDir,
    dbPath,
    volumesDir,
    modelsDir,
    db: opened.db,
    readOnly: opened.readOnly,
    readOnlyReason: opened.readOnlyReason,
    events: new EventBus(),
    close: () => opened.db.close(),
  };
}
