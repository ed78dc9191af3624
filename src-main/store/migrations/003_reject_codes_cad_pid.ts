// Issue 10: each rejected file keeps its code (shared/errorCodes.ts) beside the reason, so the import history
// groups rejections as the live job does; a CAD run records its process id, so a run left 'running' by a
// killed process is closed as interrupted at the next start, as import jobs are (migration 2).
export const up = `
ALTER TABLE import_errors ADD COLUMN code TEXT;
ALTER TABLE cad_runs ADD COLUMN pid INTEGER;
`;
