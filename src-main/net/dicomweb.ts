// DICOMweb client: QIDO-RS (query), WADO-RS (retrieve instances as application/dicom) and STOW-RS (store).
// Responses come from a peer: sizes are capped and every file goes through the same validation as a C-STORE.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { readHeader } from '../dicom/readHeader';
import { boundaryOf, buildMultipart, splitMultipart } from './multipart';
import { qidoParams, qidoToQueryRow, type QueryFilters } from './queryKeys';
import type { DicomWebNode, QueryLevel, QueryRow } from '../shared/netTypes';
import type { RetrieveTarget, StoreOutcome } from './scu';

const MAX_RESPONSE_BYTES = 4 * 1024 ** 3;

function url(node: DicomWebNode, p: string): string {
  return node.baseUrl.replace(/\/+$/, '') + p;
}

async function request(node: DicomWebNode, p: string, init: RequestInit & { signal?: AbortSignal }): Promise<Response> {
  const headers = new Headers(init.headers);
  if (node.authHeader) headers.set('Authorization', node.authHeader);
  let r: Response;
  try {
    r = await fetch(url(node, p), { ...init, headers, redirect: 'error' });
  } catch (e) {
    const cause = (e as { cause?: NodeJS.ErrnoException }).cause;
    throw new Error(`${node.name} (${node.baseUrl}): ${cause?.code === 'ECONNREFUSED' ? 'connection refused' : (cause?.message ?? (e as Error).message)}`);
  }
  if (!r.ok && r.status !== 202) {
    const text = (await r.text()).slice(0, 300);
    throw new Error(`${node.name}: ${init.method ?? 'GET'} ${p} answered HTTP ${r.status}${r.status === 401 || r.status === 403 ? ' (check the authorization header)' : ''}${text ? `: ${text}` : ''}`);
  }
  const len = Number(r.headers.get('content-length') ?? 0);
  if (len > MAX_RESPONSE_BYTES) throw new Error(`${node.name}: response of ${len} bytes exceeds the ${MAX_RESPONSE_BYTES} byte limit`);
  return r;
}

/** QIDO-RS at study or series level (series level needs filters.studyInstanceUID). */
export async function qido(node: DicomWebNode, level: QueryLevel, filters: QueryFilters, signal?: AbortSignal): Promise<QueryRow[]> {
  const params = qidoParams(level, filters);
  const p = level === 'study' ? (filters.studyInstanceUID ? `/studies?StudyInstanceUID=${filters.studyInstanceUID}&${params}` : `/studies?${params}`) : `/studies/${filters.studyInstanceUID ?? ''}/series?${params}`;
  const r = await request(node, p, { headers: { Accept: 'application/dicom+json' }, signal });
  if (r.status === 204) return [];
  const json = (await r.json()) as unknown;
  if (!Array.isArray(json)) throw new Error(`${node.name}: QIDO-RS answer is not a JSON array`);
  return json.map((o) => {
    const row = qidoToQueryRow(level, o as Record<string, { Value?: unknown[] }>);
    return level === 'series' && !row.studyInstanceUID ? { ...row, studyInstanceUID: filters.studyInstanceUID ?? '' } : row;
  });
}

/** A DICOMweb "echo": the root studies query answers. */
export async function dicomwebEcho(node: DicomWebNode): Promise<void> {
  await request(node, '/studies?limit=1', { headers: { Accept: 'application/dicom+json' } });
}

/** WADO-RS of a study or series: each instance is written to `tmpDir` and handed to `onInstance`. */
export async function wadoRetrieve(node: DicomWebNode, target: RetrieveTarget, tmpDir: string, onInstance: (file: string) => void, signal?: AbortSignal): Promise<number> {
  const p = `/studies/${target.studyInstanceUID}${target.seriesInstanceUID ? `/series/${target.seriesInstanceUID}` : ''}`;
  const r = await request(node, p, { headers: { Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*' }, signal });
  const boundary = boundaryOf(r.headers.get('content-type'));
  if (!boundary) throw new Error(`${node.name}: WADO-RS answer is not multipart/related (${r.headers.get('content-type')})`);
  const body = Buffer.from(await r.arrayBuffer());
  fs.mkdirSync(tmpDir, { recursive: true });
  let n = 0;
  for (const part of splitMultipart(body, boundary)) {
    const file = path.join(tmpDir, `wado-${process.pid}-${Date.now()}-${++n}.dcm`);
    fs.writeFileSync(file, part);
    onInstance(file);
  }
  return n;
}

/** STOW-RS of Part 10 files; the answer's Referenced/Failed SOP sequences give each file's outcome. */
export async function stow(node: DicomWebNode, files: string[], signal?: AbortSignal): Promise<StoreOutcome[]> {
  const boundary = `pulmo-${crypto.randomBytes(12).toString('hex')}`;
  const body = buildMultipart(files.map((f) => fs.readFileSync(f)), boundary);
  const r = await request(node, '/studies', {
    method: 'POST',
    headers: { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' },
    body,
    signal,
  });
  const text = await r.text();
  const json = (text ? JSON.parse(text) : {}) as Record<string, { Value?: Record<string, { Value?: unknown[] }>[] }>;
  const failedSops = new Set((json['00081198']?.Value ?? []).map((item) => String(item['00081155']?.Value?.[0] ?? '')));
  const okSops = new Set((json['00081199']?.Value ?? []).map((item) => String(item['00081155']?.Value?.[0] ?? '')));
  return files.map((file) => {
    const sop = sopOf(file);
    if (sop && okSops.has(sop)) return { file, ok: true, reason: null };
    if (sop && failedSops.has(sop)) return { file, ok: false, reason: `${node.name} refused it (STOW-RS failed SOP sequence)` };
    return { file, ok: r.status === 200 && failedSops.size === 0, reason: r.status === 200 ? null : `STOW-RS answered HTTP ${r.status}` };
  });
}

function sopOf(file: string): string | null {
  const h = readHeader(file);
  return h.kind === 'header' ? h.header.sopInstanceUID : null;
}
