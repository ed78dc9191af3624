// The first schema: the case index (patients → studies → series → instances, volumes), import jobs, and the
// places later work writes to (CAD runs, findings, measurements, reviews, audit).
export const up = `
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,
  patient_id TEXT NOT NULL,
  patient_name TEXT NOT NULL DEFAULT '',
  birth_date TEXT,
  sex TEXT,
  UNIQUE (patient_id, patient_name)
);
CREATE TABLE studies (
  id INTEGER PRIMARY KEY,
  study_uid TEXT NOT NULL UNIQUE,
  patient_ref INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
  study_date TEXT,
  study_time TEXT,
  description TEXT,
  accession_number TEXT,
  imported_at TEXT NOT NULL
);
CREATE INDEX studies_patient ON studies(patient_ref);
CREATE INDEX studies_date ON studies(study_date);
-- A DICOM series may be split into parts (orientation / acquisition / image size differ); part_key tells them apart.
CREATE TABLE series (
  id INTEGER PRIMARY KEY,
  series_uid TEXT NOT NULL,
  part_key TEXT NOT NULL DEFAULT '',
  study_ref INTEGER NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
  modality TEXT NOT NULL DEFAULT '',
  series_number INTEGER,
  description TEXT,
  body_part TEXT,
  slice_thickness REAL,
  is_localizer INTEGER NOT NULL DEFAULT 0,
  warnings_json TEXT NOT NULL DEFAULT '[]',
  imported_at TEXT NOT NULL,
  UNIQUE (series_uid, part_key)
);
CREATE INDEX series_study ON series(study_ref);
CREATE TABLE instances (
  id INTEGER PRIMARY KEY,
  sop_uid TEXT NOT NULL UNIQUE,
  series_ref INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  file_path TEXT NOT NULL,
  transfer_syntax TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime INTEGER NOT NULL,
  instance_number INTEGER,
  frames INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX instances_series ON instances(series_ref);
CREATE TABLE volumes (
  id TEXT PRIMARY KEY,
  series_ref INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,
  cache_path TEXT NOT NULL,
  geometry_json TEXT NOT NULL,
  warnings_json TEXT NOT NULL DEFAULT '[]',
  min_hu INTEGER NOT NULL,
  max_hu INTEGER NOT NULL,
  byte_length INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX volumes_series ON volumes(series_ref);
CREATE TABLE import_jobs (
  id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  paths_json TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  files_scanned INTEGER NOT NULL DEFAULT 0,
  instances_imported INTEGER NOT NULL DEFAULT 0,
  error TEXT
);
CREATE TABLE import_errors (
  id INTEGER PRIMARY KEY,
  job_ref TEXT NOT NULL REFERENCES import_jobs(id) ON DELETE CASCADE,
  file TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX import_errors_job ON import_errors(job_ref);
CREATE TABLE cad_runs (
  id TEXT PRIMARY KEY,
  volume_ref TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
  state TEXT NOT NULL,
  models_json TEXT NOT NULL,
  provider TEXT NOT NULL,
  params_json TEXT NOT NULL DEFAULT '{}',
  timings_json TEXT NOT NULL DEFAULT '{}',
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
);
CREATE INDEX cad_runs_volume ON cad_runs(volume_ref);
CREATE TABLE findings (
  id TEXT PRIMARY KEY,
  volume_ref TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
  run_ref TEXT REFERENCES cad_runs(id) ON DELETE CASCADE,
  source TEXT NOT NULL CHECK (source IN ('cad', 'reader', 'reference')),
  label TEXT NOT NULL,
  data_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX findings_volume ON findings(volume_ref);
CREATE TABLE measurements (
  id TEXT PRIMARY KEY,
  volume_ref TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  points_json TEXT NOT NULL,
  length_mm REAL NOT NULL,
  label TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  finding_ref TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  decision TEXT NOT NULL,
  reader TEXT,
  comment TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  detail_json TEXT NOT NULL DEFAULT '{}'
);
`;
