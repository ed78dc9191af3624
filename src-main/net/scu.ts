// Pulmo as SCU: C-ECHO, C-FIND (study and series level, study root), C-MOVE, C-GET and C-STORE.
import fs from 'node:fs';
import path from 'node:path';
import { runAssociation, describePeer, type AssociationOptions, type DimsePeer } from './association';
import { CEchoRequest, CFindRequest, CGetRequest, CMoveRequest, CStoreRequest, CStoreResponse, SopClass, Status, type DimseCStoreRequest } from './dimse';
import { toQueryRow, type QueryFilters, findKeys } from './queryKeys';
import type { QueryLevel, QueryRow } from '../shared/netTypes';

export type { DimsePeer };

function statusText(status: number, comment?: string): string {
  return `status 0x${status.toString(16).padStart(4, '0')}${comment ? ` (${comment})` : ''}`;
}

export async function echo(peer: DimsePeer, opts: AssociationOptions): Promise<{ ms: number }> {
  const t0 = performance.now();
  let status: number | null = null;
  await runAssociation(peer, { ...opts, requires: [SopClass.Verification] }, (client) => {
    const req = new CEchoRequest();
    req.on('response', (r) => (status = r.getStatus()));
    client.addRequest(req);
  });
  if (status !== Status.Success) throw new Error(`${describePeer(peer)} answered C-ECHO with ${status === null ? 'nothing' : statusText(status)}`);
  return { ms: performance.now() - t0 };
}

export async function find(peer: DimsePeer, level: QueryLevel, filters: QueryFilters, opts: AssociationOptions & { maxResults?: number }): Promise<QueryRow[]> {
  const rows: QueryRow[] = [];
  let failure: string | null = null;
  const max = opts.maxResults ?? 1000;
  await runAssociation(peer, { ...opts, requires: [SopClass.StudyRootQueryRetrieveInformationModelFind] }, (client) => {
    const keys = findKeys(level, filters);
    const req =
      level === 'study' ? CFindRequest.createStudyFindRequest(keys) : CFindRequest.createSeriesFindRequest({ ...keys, StudyInstanceUID: filters.studyInstanceUID ?? '' });
    req.on('response', (r) => {
      const st = r.getStatus();
      if (st === Status.Pending && r.hasDataset()) {
        if (rows.length < max) rows.push(toQueryRow(level, r.getDataset()!.getElements()));
        else if (rows.length === max) client.cancel(req);
      } else if (st !== Status.Success && st !== Status.Cancel && st !== Status.Pending) failure = statusText(st, r.getErrorComment());
    });
    client.addRequest(req);
  });
  if (failure) throw new Error(`${describePeer(peer)} answered C-FIND with ${failure}`);
  return rows;
}

export interface RetrieveProgress {
  completed: number;
  remaining: number | null;
  failed: number;
  warnings: number;
}

export interface RetrieveTarget {
  studyInstanceUID: string;
  seriesInstanceUID?: string;
}

/** C-MOVE to `destinationAet` (Pulmo's listener, usually): the peer opens its own association to deliver. */
export async function move(peer: DimsePeer, destinationAet: string, target: RetrieveTarget, opts: AssociationOptions & { onProgress?: (p: RetrieveProgress) => void }): Promise<RetrieveProgress> {
  const last: RetrieveProgress = { completed: 0, remaining: null, failed: 0, warnings: 0 };
  let failure = null as string | null;
  await runAssociation(peer, { timeoutMs: 600_000, ...opts, requires: [SopClass.StudyRootQueryRetrieveInformationModelMove] }, (client) => {
    const req = target.seriesInstanceUID
      ? CMoveRequest.createSeriesMoveRequest(destinationAet, target.studyInstanceUID, target.seriesInstanceUID)
      : CMoveRequest.createStudyMoveRequest(destinationAet, target.studyInstanceUID);
    req.on('response', (r) => {
      Object.assign(last, { completed: r.getCompleted() ?? 0, remaining: r.getRemaining() ?? null, failed: r.getFailures() ?? 0, warnings: r.getWarnings() ?? 0 });
      const st = r.getStatus();
      if (st === Status.Pending) opts.onProgress?.({ ...last });
      else if (st === Status.Success) last.remaining = 0;
      else if (st !== Status.Success && !(st >= 0xb000 && st <= 0xbfff)) failure = statusText(st, r.getErrorComment());
    });
    client.addRequest(req);
  });
  if (failure) throw new Error(`${describePeer(peer)} answered C-MOVE with ${failure}${failure.includes('a801') ? `: it does not know the destination AE title ${destinationAet}` : ''}`);
  return last;
}

/** C-GET: the peer sends the instances back on this association; each is written to `spoolDir` as it comes and
 * handed to `onInstance` (which validates it like any received file). */
export async function get(
  peer: DimsePeer,
  target: RetrieveTarget,
  spoolDir: string,
  opts: AssociationOptions & { onProgress?: (p: RetrieveProgress) => void; onInstance: (file: string) => string | null },
): Promise<RetrieveProgress> {
  const last: RetrieveProgress = { completed: 0, remaining: null, failed: 0, warnings: 0 };
  let failure: string | null = null;
  fs.mkdirSync(spoolDir, { recursive: true });
  await runAssociation(peer, { timeoutMs: 600_000, ...opts, requires: [SopClass.StudyRootQueryRetrieveInformationModelGet] }, (client) => {
    const req = target.seriesInstanceUID
      ? CGetRequest.createSeriesGetRequest(target.studyInstanceUID, target.seriesInstanceUID)
      : CGetRequest.createStudyGetRequest(target.studyInstanceUID);
    req.on('response', (r) => {
      Object.assign(last, { completed: r.getCompleted() ?? 0, remaining: r.getRemaining() ?? null, failed: r.getFailures() ?? 0, warnings: r.getWarnings() ?? 0 });
      const st = r.getStatus();
      if (st === Status.Pending) opts.onProgress?.({ ...last });
      else if (st === Status.Success) last.remaining = 0;
      else if (st !== Status.Success && !(st >= 0xb000 && st <= 0xbfff)) failure = statusText(st, r.getErrorComment());
    });
    let n = 0;
    client.on('cStoreRequest', (sreq: DimseCStoreRequest, callback: (r: InstanceType<typeof CStoreResponse>) => void) => {
      const response = CStoreResponse.fromRequest(sreq);
      const file = path.join(spoolDir, `get-${process.pid}-${Date.now()}-${++n}.dcm`);
      sreq.getDataset()!.toFile(file, (err) => {
        const problem = err ? `could not write: ${err.message}` : opts.onInstance(file);
        response.setStatus(problem ? Status.ProcessingFailure : Status.Success);
        if (problem) response.setErrorComment(problem.slice(0, 64));
        callback(response);
      });
    });
    client.addRequest(req);
  });
  if (failure) throw new Error(`${describePeer(peer)} answered C-GET with ${failure}`);
  return last;
}

export interface StoreOutcome {
  file: string;
  ok: boolean;
  reason: string | null;
}

/** Files per association: dcmjs-dimse reads each request's data set into memory before the association starts. */
const STORE_BATCH = 64;

/** C-STORE of DICOM files, STORE_BATCH per association; one outcome per file, in order. */
export async function store(peer: DimsePeer, files: string[], opts: AssociationOptions & { onProgress?: (done: number, total: number) => void }): Promise<StoreOutcome[]> {
  const outcomes: StoreOutcome[] = [];
  for (let start = 0; start < files.length; start += STORE_BATCH) {
    if (opts.signal?.aborted) throw new Error('cancelled');
    const batch = await storeBatch(peer, files.slice(start, start + STORE_BATCH), opts, (n) => opts.onProgress?.(start + n, files.length));
    outcomes.push(...batch);
  }
  return outcomes;
}

async function storeBatch(peer: DimsePeer, files: string[], opts: AssociationOptions, onDone: (n: number) => void): Promise<StoreOutcome[]> {
  const outcomes = files.map<StoreOutcome>((file) => ({ file, ok: false, reason: 'not sent (the association ended first)' }));
  const requests: { i: number; req: InstanceType<typeof CStoreRequest> }[] = [];
  files.forEach((file, i) => {
    try {
      requests.push({ i, req: new CStoreRequest(file) });
    } catch (e) {
      outcomes[i].reason = `not a readable DICOM file: ${(e as Error).message}`;
    }
  });
  if (requests.length === 0) return outcomes;
  let done = 0;
  await runAssociation(peer, { timeoutMs: 120_000, ...opts }, (client) => {
    for (const { i, req } of requests) {
      req.on('response', (r) => {
        const st = r.getStatus();
        const ok = st === Status.Success || (st >= 0xb000 && st <= 0xbfff);
        outcomes[i] = { file: files[i], ok, reason: ok ? null : `${describePeer(peer)} refused it: ${statusText(st, r.getErrorComment())}` };
        onDone(++done);
      });
      client.addRequest(req);
    }
  });
  return outcomes;
}
