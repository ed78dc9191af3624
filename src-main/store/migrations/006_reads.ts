// Issue 11, the second read: reader profiles, site settings, reads (one reader's review of one series) with their
// marks (triage of CAD findings, reader-added nodules), signed versions (sign-off, addenda), stored nodule masks
// (bbox-cropped, run-length coded: what SEG and the SR round trip are written from), and an audit trail that
// records the reader, the series and before/after, and that the database itself keeps append-only.
export const up = `
CREATE TABLE reader_profiles (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);
CREATE TABLE reads (
  id TEXT PRIMARY KEY,
  series_uid TEXT NOT NULL,
  volume_ref TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
  run_ref TEXT REFERENCES cad_runs(id) ON DELETE SET NULL,
  origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported-sr')),
  mode TEXT NOT NULL CHECK (mode IN ('second-reader', 'concurrent')),
  state TEXT NOT NULL CHECK (state IN ('in-review', 'signed', 'addendum', 'addended', 'imported')),
  reader_ref INTEGER REFERENCES reader_profiles(id),
  reader_name TEXT NOT NULL,
  reader_role TEXT NOT NULL,
  os_user TEXT NOT NULL,
  min_score REAL NOT NULL DEFAULT 0,
  first_read_done_at TEXT,
  conclusion_json TEXT NOT NULL DEFAULT '{}',
  started_at TEXT NOT NULL,
  signed_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  source_json TEXT
);
CREATE INDEX reads_series ON reads(series_uid);
CREATE TABLE finding_masks (
  id TEXT PRIMARY KEY,
  volume_ref TEXT NOT NULL REFERENCES volumes(id) ON DELETE CASCADE,
  box_json TEXT NOT NULL,
  runs BLOB NOT NULL,
  voxel_count INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE read_marks (
  read_ref TEXT NOT NULL REFERENCES reads(id) ON DELETE CASCADE,
  finding_ref TEXT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('cad', 'reader')),
  decision TEXT NOT NULL CHECK (decision IN ('pending', 'accepted', 'rejected', 'added')),
  reject_reason TEXT,
  reject_text TEXT,
  edited_json TEXT,
  mask_ref TEXT REFERENCES finding_masks(id),
  decided_at TEXT,
  PRIMARY KEY (read_ref, finding_ref)
);
CREATE TABLE read_versions (
  read_ref TEXT NOT NULL REFERENCES reads(id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('signed', 'addendum')),
  reason TEXT,
  snapshot_json TEXT NOT NULL,
  signed_at TEXT NOT NULL,
  PRIMARY KEY (read_ref, version)
);
ALTER TABLE audit ADD COLUMN reader TEXT;
ALTER TABLE audit ADD COLUMN series_uid TEXT;
ALTER TABLE audit ADD COLUMN before_json TEXT;
ALTER TABLE audit ADD COLUMN after_json TEXT;
CREATE INDEX audit_series ON audit(series_uid);
CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
`;
