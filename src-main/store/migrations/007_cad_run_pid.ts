// Issue 10: a CAD run records its process id, so a run left 'running' by a killed process is closed as
// interrupted at the next start, as import jobs are (migration 2).
export const up = `
ALTER TABLE cad_runs ADD COLUMN pid INTEGER;
`;
