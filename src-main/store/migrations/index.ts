// Numbered migrations. Append only: a released migration is never edited; user_version = the last applied.
import { up as initial } from './001_initial';
import { up as importJobPid } from './002_import_job_pid';
import { up as findingSchemaVersion } from './003_finding_schema_version';
import { up as errorCodes } from './004_error_codes';
import { up as dicomNetwork } from './005_dicom_network';
import { up as reads } from './006_reads';
import { up as cadRunPid } from './007_cad_run_pid';
import { up as studyPatientAge } from './008_study_patient_age';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  { version: 1, name: 'initial', sql: initial },
  { version: 2, name: 'import job pid', sql: importJobPid },
  { version: 3, name: 'finding schema version', sql: findingSchemaVersion },
  { version: 4, name: 'error codes', sql: errorCodes },
  { version: 5, name: 'dicom network', sql: dicomNetwork },
  { version: 6, name: 'reads, masks, audit columns', sql: reads },
  { version: 7, name: 'CAD run pid', sql: cadRunPid },
  { version: 8, name: 'study patient age', sql: studyPatientAge },
];

export const latestVersion = migrations[migrations.length - 1].version;
