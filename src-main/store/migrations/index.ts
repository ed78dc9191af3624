// Numbered migrations. Append only: a released migration is never edited; user_version = the last applied.
import { up as initial } from './001_initial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [{ version: 1, name: 'initial', sql: initial }];

export const latestVersion = migrations[migrations.length - 1].version;
