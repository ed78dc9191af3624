// Number formatting for CAD output: every value with its unit; '—' where nothing was computed.
export const mm = (v: number | null | undefined): string => (v == null ? '—' : `${v.toFixed(1)} mm`);
export const mm3 = (v: number | null | undefined): string => (v == null ? '—' : `${Math.round(v)} mm³`);
export const hu = (v: number | null | undefined): string => (v == null ? '—' : `${Math.round(v)} HU`);
export const pct = (p: number | null | undefined): string => (p == null ? '—' : `${(p * 100).toFixed(1)} %`);
export const ms = (v: number): string => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
export const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');
