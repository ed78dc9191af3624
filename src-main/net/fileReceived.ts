// One received instance (C-STORE to the listener, C-GET, WADO-RS), already written to a temporary file: checked
// with the import's own header reader and filed as <dir>/<Study>/<Series>/<SOP>.dcm, so a re-send of the same
// instance lands on the same path (the import then sees a known file, not a duplicate). Hostile input: the UIDs
// become path components only after they are checked to be UIDs.
import fs from 'node:fs';
import path from 'node:path';
import { readHeader } from '../dicom/readHeader';

const UID = /^[0-9]+(\.[0-9]+)*$/;

export interface ReceivedInstance {
  file: string;
  sopInstanceUID: string;
  seriesInstanceUID: string;
  studyInstanceUID: string;
  bytes: number;
}

export type FileOutcome = { ok: true; instance: ReceivedInstance } | { ok: false; reason: string; code: 'unreadable' | 'mismatch' | 'invalid-uid' };

/** Validates `tmpFile` and moves it into `receivedDir`; on failure the temporary file is removed. */
export function fileReceived(tmpFile: string, receivedDir: string, expectedSop?: string): FileOutcome {
  const fail = (code: 'unreadable' | 'mismatch' | 'invalid-uid', reason: string): FileOutcome => {
    fs.rmSync(tmpFile, { force: true });
    return { ok: false, code, reason };
  };
  const r = readHeader(tmpFile);
  if (r.kind === 'error') return fail('unreadable', `unreadable data set: ${r.reason}`);
  if (r.kind !== 'header') return fail('unreadable', 'a DICOMDIR is not an instance');
  const h = r.header;
  if (expectedSop !== undefined && h.sopInstanceUID !== expectedSop) return fail('mismatch', `SOP Instance UID in the data set (${h.sopInstanceUID.slice(0, 64)}) differs from the command's`);
  const uids = [h.study.studyInstanceUID, h.seriesInstanceUID, h.sopInstanceUID];
  const names = ['Study Instance', 'Series Instance', 'SOP Instance'];
  for (let i = 0; i < 3; i++) if (!uids[i] || uids[i].length > 64 || !UID.test(uids[i])) return fail('invalid-uid', `${names[i]} UID is not a valid UID`);
  const dir = path.join(receivedDir, uids[0], uids[1]);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${uids[2]}.dcm`);
  fs.renameSync(tmpFile, file);
  return { ok: true, instance: { file, sopInstanceUID: uids[2], seriesInstanceUID: uids[1], studyInstanceUID: uids[0], bytes: h.size } };
}
