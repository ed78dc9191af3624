// The version of the JSON a finding row holds (data_json), so a later change to the Finding shape has a
// migration path: rows are read through store/findingRecord.ts, which upgrades or refuses by this number.
export const up = `
ALTER TABLE findings ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
`;
