// Opens a file for reading only when it is a regular file. The open itself never blocks (O_NONBLOCK: a FIFO
// would otherwise wait for a writer for ever) and the type is checked on the opened descriptor, so a path
// swapped between a check and the open cannot slip a device, FIFO or socket through.
import fs from 'node:fs';
import { errorMessage, type RejectCode } from '../shared/errorCodes';

export type Opened = { ok: true; fd: number; stat: fs.Stats } | { ok: false; code: RejectCode; reason: string };

const NONBLOCK = fs.constants.O_NONBLOCK ?? 0; // undefined on Windows, where FIFOs are not files

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function openRegularFile(file: string): Opened {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, code: 'not_found', reason: 'not found' };
    if (code === 'ENXIO') return { ok: false, code: 'not_regular_file', reason: 'not a regular file (a socket or device): not opened' };
    return { ok: false, code: 'unreadable', reason: `cannot open: ${errorMessage(e)}` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      fs.closeSync(fd);
      return { ok: false, code: 'not_regular_file', reason: `${kindOf(stat)}: only regular files are read` };
    }
    return { ok: true, fd, stat };
  } catch (e) {
    fs.closeSync(fd);
    return { ok: false, code: 'unreadable', reason: `cannot read: ${errorMessage(e)}` };
  }
}
