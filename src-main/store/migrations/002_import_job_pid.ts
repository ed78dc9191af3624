// Which process runs an import job, so a job left 'running' by a killed or crashed process can be told apart
// from one still running in another process (a CLI import beside the app) and reported as interrupted.
export const up = `
ALTER TABLE import_jobs ADD COLUMN pid INTEGER;
`;
