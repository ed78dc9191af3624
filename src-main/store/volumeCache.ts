// The on-disk volume cache: <volumesDir>/<volumeId>.raw (int16 little-endian HU, i fastest) beside
// <volumeId>.json (geometry). Files are written to a temporary name, fsynced and renamed, so a crash never
// leaves a half volume under its final name; the index row is committed only after the rename.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import type { HuVolume, VolumeGeometry } from '../shared/geometry';
import { voxelCount } from '../shared/geometry';
import { pidAlive } from './pidAlive';
import { volumeCachePath } from './cases';
import type { Db } from './db';

export function cacheFileName(volumeId: string): string {
  return `${volumeId}.raw`;
}

/** The temporary name a cache file is written under (the pid lets a later import sweep what a killed one left). */
function tmpName(file: string): string {
  return `${file}.tmp-${process.pid}`;
}

function writeAtomic(file: string, data: Uint8Array): void {
  const tmp = tmpName(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, Math.min(data.length - off, 64 << 20));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/** Writes the volume; returns the cache path relative to volumesDir (what the volumes table stores). */
export function writeVolumeCache(volumesDir: string, volumeId: string, vol: HuVolume): string {
  if (vol.voxels.length !== voxelCount(vol.geometry)) {
    throw new Error(`Volume ${volumeId}: ${vol.voxels.length} voxels but geometry says ${vol.geometry.dims.join('x')}`);
  }
  fs.mkdirSync(volumesDir, { recursive: true });
  const rel = cacheFileName(volumeId);
  writeGeometry(volumesDir, volumeId, vol.geometry);
  writeAtomic(path.join(volumesDir, rel), littleEndianBytes(vol.voxels));
  return rel;
}

/** The bytes of int16 voxels in little-endian order (a swapped copy on a big-endian machine). */
function littleEndianBytes(voxels: Int16Array): Uint8Array {
  let bytes = new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength);
  if (os.endianness() === 'BE') {
    bytes = new Uint8Array(bytes); // the cache is little-endian on every machine
    for (let i = 0; i < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  }
  return bytes;
}

function writeGeometry(volumesDir: string, volumeId: string, geometry: VolumeGeometry): void {
  writeAtomic(path.join(volumesDir, `${volumeId}.json`), Buffer.from(JSON.stringify({ geometry }, null, 1)));
}

function writeFully(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      if (off >= bytes.length) return resolve();
      fs.write(fd, bytes, off, bytes.length - off, position + off, (err, n) => (err ? reject(err) : step(off + n)));
    };
    step(0);
  });
}

/** O_DIRECT needs buffer address, file offset and length on (logical) block boundaries; a page covers every disk. */
const DIRECT_ALIGN = 4096;

function isEinval(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'EINVAL';
}

/**
 * Writes a volume cache piece by piece as it is built, with the same guarantees as writeVolumeCache: the raw
 * file grows under its temporary name and is fsynced and renamed only in commit(), after every byte is there.
 * Writes run on libuv's thread pool, so the caller can fill the next piece meanwhile. Page-aligned pieces go
 * through a second, O_DIRECT descriptor where the system has one (Linux): a bulk write then skips the page
 * cache, whose growth by hundreds of MB is what made writing a big new file slow. Anything else, and every
 * piece after an EINVAL (a file system without O_DIRECT), is written the ordinary way.
 */
export class VolumeCacheWriter {
  private written = 0;
  /** Bytes that went through the O_DIRECT descriptor (for tests and diagnostics). */
  directBytes = 0;
  private closed = false;
  private useDirect: boolean;

  private constructor(
    private readonly volumesDir: string,
    private readonly volumeId: string,
    private readonly geometry: VolumeGeometry,
    private readonly fd: number,
    private readonly directFd: number | null,
    private readonly tmp: string,
  ) {
    this.useDirect = directFd !== null;
  }

  static open(volumesDir: string, volumeId: string, geometry: VolumeGeometry): VolumeCacheWriter {
    fs.mkdirSync(volumesDir, { recursive: true });
    const tmp = tmpName(path.join(volumesDir, cacheFileName(volumeId)));
    const fd = fs.openSync(tmp, 'w');
    let directFd: number | null = null;
    const O_DIRECT = fs.constants.O_DIRECT;
    if (O_DIRECT && os.endianness() === 'LE') {
      try {
        directFd = fs.openSync(tmp, fs.constants.O_WRONLY | O_DIRECT);
      } catch {
        directFd = null; // e.g. tmpfs
      }
    }
    return new VolumeCacheWriter(volumesDir, volumeId, geometry, fd, directFd, tmp);
  }

  get byteLength(): number {
    return voxelCount(this.geometry) * 2;
  }

  /** Whether an O_DIRECT descriptor is open (Linux, on a file system that takes it). */
  get direct(): boolean {
    return this.directFd !== null;
  }

  /**
   * Writes voxels at byteOffset in the file; pieces may be written concurrently (distinct ranges).
   * `pageAligned`: the voxels' ArrayBuffer starts on a page boundary (a WebAssembly memory), so O_DIRECT may apply.
   */
  async write(voxels: Int16Array, byteOffset: number, pageAligned = false): Promise<void> {
    if (this.closed) throw new Error(`Volume ${this.volumeId}: write after commit or abort`);
    if (byteOffset + voxels.byteLength > this.byteLength) throw new Error(`Volume ${this.volumeId}: write past the end of the volume`);
    const bytes = littleEndianBytes(voxels);
    const aligned = pageAligned && bytes.byteOffset % DIRECT_ALIGN === 0 && byteOffset % DIRECT_ALIGN === 0 && bytes.length % DIRECT_ALIGN === 0;
    if (aligned && this.useDirect && this.directFd !== null) {
      try {
        await writeFully(this.directFd, bytes, byteOffset);
        this.written += bytes.length;
        this.directBytes += bytes.length;
        return;
      } catch (e) {
        if (!isEinval(e)) throw e;
        this.useDirect = false; // rewritten below through the page cache, as is everything after it
      }
    }
    await writeFully(this.fd, bytes, byteOffset);
    this.written += bytes.length;
  }

  /** fsync, close and rename into place (geometry file first); returns the cache path relative to volumesDir. */
  async commit(): Promise<string> {
    if (this.written !== this.byteLength) throw new Error(`Volume ${this.volumeId}: ${this.written} of ${this.byteLength} bytes written`);
    // fsync is per file: it flushes what either descriptor wrote, and the size and block map O_DIRECT left.
    await new Promise<void>((resolve, reject) => fs.fsync(this.fd, (e) => (e ? reject(e) : resolve())));
    this.close();
    writeGeometry(this.volumesDir, this.volumeId, this.geometry);
    const rel = cacheFileName(this.volumeId);
    fs.renameSync(this.tmp, path.join(this.volumesDir, rel));
    return rel;
  }

  /** Closes and removes the temporary file (after a failed or cancelled build). */
  abort(): void {
    this.close();
    fs.rmSync(this.tmp, { force: true });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
    if (this.directFd !== null) fs.closeSync(this.directFd);
  }
}

export function readVolumeCache(volumesDir: string, cachePath: string, geometry: VolumeGeometry): HuVolume {
  const file = path.resolve(volumesDir, cachePath);
  const buf = fs.readFileSync(file);
  const expected = voxelCount(geometry) * 2;
  if (buf.length !== expected) throw new Error(`Volume cache ${file} holds ${buf.length} bytes, expected ${expected}; re-import the series`);
  // Copy into an aligned buffer (Buffer pools may be unaligned for Int16Array).
  const voxels = new Int16Array(expected / 2);
  new Uint8Array(voxels.buffer).set(buf);
  return { voxels, geometry };
}

/** Removes what a build left for a volume that was never committed (final or temporary names). */
export function removeVolumeFiles(volumesDir: string, volumeId: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(volumesDir);
  } catch {
    return;
  }
  const raw = cacheFileName(volumeId);
  const json = `${volumeId}.json`;
  for (const n of names) {
    if (n === raw || n === json || n.startsWith(`${raw}.tmp-`) || n.startsWith(`${json}.tmp-`)) fs.rmSync(path.join(volumesDir, n), { force: true });
  }
}

/** Removes a committed volume's files (after its row is gone), given the cache path the row held. */
export function removeCachedVolume(volumesDir: string, cachePath: string): void {
  const base = path.resolve(volumesDir, cachePath);
  if (path.dirname(base) !== path.resolve(volumesDir)) return; // never outside the cache folder
  fs.rmSync(base, { force: true });
  fs.rmSync(base.replace(/\.raw$/, '.json'), { force: true });
}

/**
 * Removes what killed imports left in the cache folder: temporary files of processes that are gone, and cache
 * files no volume row references that are older than `minAgeMs` (a live import commits right after its rename).
 */
export function sweepOrphanVolumes(volumesDir: string, referenced: Set<string>, minAgeMs = 60_000): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(volumesDir);
  } catch {
    return 0;
  }
  const now = Date.now();
  for (const n of names) {
    const full = path.join(volumesDir, n);
    const tmp = /\.tmp-(\d+)$/.exec(n);
    let orphan = false;
    if (tmp) orphan = Number(tmp[1]) !== process.pid && !pidAlive(Number(tmp[1]));
    else if (/\.(raw|json)$/.test(n) && !referenced.has(n.replace(/\.json$/, '.raw'))) {
      try {
        orphan = now - fs.statSync(full).mtimeMs > minAgeMs;
      } catch {
        orphan = false;
      }
    }
    if (orphan) {
      fs.rmSync(full, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}

/** Volume ids as the transports accept them in a URL (the import makes 32 hex digits). */
const VOLUME_ID = /^[A-Za-z0-9_-]{1,64}$/;

export type ServedVolume =
  | { ok: true; file: string; size: number; /** A stream of the whole file; the caller must handle its 'error'. */ open(): fs.ReadStream }
  | { ok: false; status: 400 | 404 | 500; kind: 'validation' | 'not_found' | 'io'; message: string };

/**
 * The one way both transports (GET /volume/<id> and pulmo://volume/<id>) find and open a cached volume. The
 * file is checked here (a regular file of the indexed size), so a cache file that is missing, replaced by a
 * folder or cut short is an error response, never an unhandled stream error.
 */
export function openCachedVolume(db: Db, volumesDir: string, rawId: string): ServedVolume {
  let volumeId: string;
  try {
    volumeId = decodeURIComponent(rawId);
  } catch {
    return { ok: false, status: 400, kind: 'validation', message: `Malformed volume id "${rawId.slice(0, 80)}"` };
  }
  const found = VOLUME_ID.test(volumeId) ? volumeCachePath(db, volumeId) : null;
  if (!found) return { ok: false, status: 404, kind: 'not_found', message: `No volume ${volumeId.slice(0, 80)}` };
  const file = path.resolve(volumesDir, found.cachePath);
  const broken = (why: string): ServedVolume => ({ ok: false, status: 500, kind: 'io', message: `Volume ${volumeId}: its cache file ${file} ${why}; re-import the series` });
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, status: 404, kind: 'not_found', message: `Volume ${volumeId} is indexed but its cache file ${file} is missing; re-import the series` };
    return broken(`cannot be read (${(e as Error).message})`);
  }
  if (!st.isFile()) return broken('is not a regular file');
  if (st.size !== found.byteLength) return broken(`holds ${st.size} bytes, the index says ${found.byteLength}`);
  // A file swapped after this check still fails safely: callers handle the stream's 'error'.
  return { ok: true, file, size: st.size, open: () => fs.createReadStream(file) };
}
