// DICOM networking (issue 13): configured peers, the listener's settings, and the listener's associations with
// the instances each delivered, so a series whose last delivery aborted can be shown as incomplete.
export const up = `
CREATE TABLE net_nodes (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('dimse', 'dicomweb')),
  config_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE net_settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL
);
CREATE TABLE net_associations (
  id TEXT PRIMARY KEY,
  calling_aet TEXT NOT NULL,
  remote TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('receiving', 'complete', 'aborted', 'rejected')),
  instances INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  job_id TEXT,
  message TEXT
);
CREATE INDEX net_associations_started ON net_associations(started_at);
CREATE TABLE net_received (
  association_ref TEXT NOT NULL REFERENCES net_associations(id) ON DELETE CASCADE,
  sop_uid TEXT NOT NULL,
  series_uid TEXT NOT NULL,
  file TEXT NOT NULL,
  PRIMARY KEY (association_ref, sop_uid)
);
CREATE INDEX net_received_series ON net_received(series_uid);
`;
