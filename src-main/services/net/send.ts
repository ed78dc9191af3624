// sendFiles(node, paths): C-STORE (DIMSE peers) or STOW-RS (DICOMweb peers) of DICOM files — reports (SR, SEG,
// encapsulated PDF) or a whole series. Folders are expanded; every file gets an outcome.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from '../context';
import { store, type StoreOutcome } from '../../net/scu';
import { stow } from '../../net/dicomweb';
import { getListenerSettings } from '../../store/netNodes';
import type { DicomNode, SendResult } from '../../shared/netTypes';

const STOW_BATCH = 32;

export function expandPaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const st = fs.statSync(p);
    if (st.isDirectory()) for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e));
    else if (st.isFile()) out.push(p);
  };
  for (const p of paths) walk(path.resolve(p));
  return out;
}

export async function sendFiles(
  ctx: AppContext,
  node: DicomNode,
  paths: string[],
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<SendResult> {
  const files = expandPaths(paths);
  let outcomes: StoreOutcome[] = [];
  if (node.kind === 'dimse') {
    outcomes = await store(node, files, { callingAet: getListenerSettings(ctx.db).aet, signal: opts.signal, onProgress: opts.onProgress });
  } else {
    for (let i = 0; i < files.length; i += STOW_BATCH) {
      outcomes.push(...(await stow(node, files.slice(i, i + STOW_BATCH), opts.signal)));
      opts.onProgress?.(outcomes.length, files.length);
    }
  }
  return {
    node: node.name,
    sent: outcomes.filter((o) => o.ok).length,
    failed: outcomes.filter((o) => !o.ok).map((o) => ({ file: o.file, reason: o.reason ?? 'failed' })),
  };
}
