// PatientAge (0010,1010) per study (issue 9): Brock needs the age at the scan, and many exports carry the age
// but no birth date. NULL for studies imported before this column existed (re-import fills it).
export const up = `
ALTER TABLE studies ADD COLUMN patient_age TEXT;
`;
