// A small RFC 4180 CSV reader that keeps each record's line number, and a column lookup tolerant of how the LDFC
// files (and hand-made ones) spell their headers: "x_min", "xmin", "X Min" and "coordX" are matched by their
// lower-case letters and digits only. Errors name the file, the line and the column.

export interface CsvTable {
  file: string;
  header: string[];
  rows: { line: number; cells: string[] }[];
}

export function parseCsv(text: string, file: string): CsvTable {
  const records: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // UTF-8 BOM from spreadsheet exports
  const endRecord = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0].trim() !== '') records.push({ line: startLine, cells: cells.map((c) => c.trim()) });
    cells = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else { if (ch === '\n') line++; cell += ch; }
    } else if (ch === '"' && cell.trim() === '') { quoted = true; cell = ''; }
    else if (ch === ',') { cells.push(cell); cell = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      startLine = line;
    } else cell += ch;
  }
  if (quoted) throw new Error(`${file}:${startLine}: unterminated quoted field`);
  if (cell !== '' || cells.length) endRecord();
  if (!records.length) throw new Error(`${file}: empty CSV (no header line)`);
  const [head, ...rows] = records;
  for (const r of rows)
    if (r.cells.length !== head.cells.length) throw new Error(`${file}:${r.line}: ${r.cells.length} fields, the header has ${head.cells.length}`);
  return { file, header: head.cells, rows };
}

export const normalizeHeader = (h: string): string => h.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Index of the first header matching one of `aliases` (in alias order), or -1. */
export function findColumn(table: CsvTable, aliases: readonly string[]): number {
  const norm = table.header.map(normalizeHeader);
  for (const a of aliases) {
    const i = norm.indexOf(normalizeHeader(a));
    if (i >= 0) return i;
  }
  return -1;
}

export function requireColumn(table: CsvTable, what: string, aliases: readonly string[]): number {
  const i = findColumn(table, aliases);
  if (i < 0) throw new Error(`${table.file}: no ${what} column (looked for ${aliases.join(', ')}; the header has ${table.header.join(', ')})`);
  return i;
}

export function numberCell(table: CsvTable, row: { line: number; cells: string[] }, col: number): number {
  const raw = row.cells[col];
  const v = raw === '' ? NaN : Number(raw);
  if (!Number.isFinite(v)) throw new Error(`${table.file}:${row.line}: column ${table.header[col]} is not a number ("${raw}")`);
  return v;
}

/** LDFC names scans "0001" (BMP folders) and 1 (CSV index, "1.mhd"): compare them as the same case. */
export function canonicalScanId(raw: string): string {
  const s = raw.trim().replace(/\.(mhd|raw|json|bmp|png|jpg|xml)$/i, '');
  return /^\d+$/.test(s) ? String(Number(s)) : s;
}
