// Rejected files and failed jobs carry a code the UI can group by (FileErrorCode, JobError.code), not only words.
// Rows written before this migration get 'unclassified' / 'internal'.
export const up = `
ALTER TABLE import_errors ADD COLUMN code TEXT NOT NULL DEFAULT 'unclassified';
ALTER TABLE import_jobs ADD COLUMN error_code TEXT;
UPDATE import_jobs SET error_code = 'internal' WHERE error IS NOT NULL;
`;
