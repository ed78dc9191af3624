// MetaImage (.mhd + .raw, or .mha / ElementDataFile = LOCAL) reader returning an int16 HU volume with LPS geometry.
// Geometry as ITK's MetaImageIO reads it: Offset (alias Position, Origin) = centre of voxel 0 in LPS mm;
// TransformMatrix (alias Rotation, Orientation) = the i, j and k axis directions one after another, which is
// VolumeGeometry.direction's layout; ElementSpacing (else ElementSize) = mm between voxel centres.
// AnatomicalOrientation is informational in ITK and is not used. MetaImage has no rescale slope/intercept:
// values are taken as HU (LDFC's MHD_3D volumes are stored in HU, descriptor "Data preprocessing" step 1).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { HuVolume, Vec3, VolumeGeometry } from '../shared/geometry';

export interface MhdReadResult extends HuVolume {
  /** Where the voxels came from. */
  dataFile: string;
  elementType: string;
  /** Voxels outside int16 (or non-integral floats) were clamped/rounded: how many were clamped. */
  clamped: number;
}

type Reader = (dv: DataView, offset: number, le: boolean) => number;
const TYPES: Record<string, { bytes: number; read: Reader }> = {
  MET_UCHAR: { bytes: 1, read: (dv, o) => dv.getUint8(o) },
  MET_CHAR: { bytes: 1, read: (dv, o) => dv.getInt8(o) },
  MET_SHORT: { bytes: 2, read: (dv, o, le) => dv.getInt16(o, le) },
  MET_USHORT: { bytes: 2, read: (dv, o, le) => dv.getUint16(o, le) },
  MET_INT: { bytes: 4, read: (dv, o, le) => dv.getInt32(o, le) },
  MET_UINT: { bytes: 4, read: (dv, o, le) => dv.getUint32(o, le) },
  MET_FLOAT: { bytes: 4, read: (dv, o, le) => dv.getFloat32(o, le) },
  MET_DOUBLE: { bytes: 8, read: (dv, o, le) => dv.getFloat64(o, le) },
};

/** Header fields in file order; keys as written. Stops at ElementDataFile (the last field by specification). */
export function parseMhdHeader(text: string, file: string): { fields: Map<string, string>; headerBytes: number } {
  const fields = new Map<string, string>();
  let pos = 0;
  let lineNo = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, end).trim();
    lineNo++;
    pos = end;
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`${file}:${lineNo}: not a "Key = Value" MetaImage header line: ${line.slice(0, 60)}`);
    const key = line.slice(0, eq).trim();
    fields.set(key, line.slice(eq + 1).trim());
    if (key === 'ElementDataFile') break;
  }
  return { fields, headerBytes: pos };
}

function numbers(fields: Map<string, string>, keys: string[], count: number, file: string, fallback?: number[]): number[] {
  const key = keys.find((k) => fields.has(k));
  if (!key) {
    if (fallback) return fallback;
    throw new Error(`${file}: ${keys[0]} missing`);
  }
  const v = fields.get(key)!.split(/\s+/).map(Number);
  if (v.length !== count || v.some((x) => !Number.isFinite(x))) throw new Error(`${file}: ${key} must be ${count} numbers, got "${fields.get(key)}"`);
  return v;
}

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const isTrue = (v: string | undefined) => v !== undefined && /^(true|1)$/i.test(v);

export interface MhdHeader {
  geometry: VolumeGeometry;
  fields: Map<string, string>;
  /** Bytes of header text at the start of the file (where LOCAL data begins). */
  headerBytes: number;
}

/** The header and LPS geometry of a MetaImage file, without reading its voxels. */
export function readMhdHeader(file: string, bytes?: Buffer): MhdHeader {
  let head: Buffer;
  if (bytes) head = bytes.subarray(0, 65536);
  else {
    const fd = fs.openSync(file, 'r');
    try {
      head = Buffer.alloc(65536);
      head = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  }
  // The header is ASCII; decode only its plausible extent (a .mha carries binary data after it).
  const { fields, headerBytes } = parseMhdHeader(head.toString('latin1'), file);
  const nd = Number(fields.get('NDims'));
  if (nd !== 3) throw new Error(`${file}: NDims = ${fields.get('NDims') ?? 'missing'}; only 3-D volumes are read`);
  const channels = Number(fields.get('ElementNumberOfChannels') ?? '1');
  if (channels !== 1) throw new Error(`${file}: ElementNumberOfChannels = ${channels}; only single-channel CT is read`);
  const dims = numbers(fields, ['DimSize'], 3, file) as Vec3;
  if (dims.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`${file}: DimSize must be positive integers, got ${dims.join(' ')}`);
  const spacing = numbers(fields, ['ElementSpacing', 'ElementSize'], 3, file, [1, 1, 1]) as Vec3;
  if (spacing.some((s) => s <= 0)) throw new Error(`${file}: ElementSpacing must be positive, got ${spacing.join(' ')}`);
  const origin = numbers(fields, ['Offset', 'Position', 'Origin'], 3, file, [0, 0, 0]) as Vec3;
  const direction = numbers(fields, ['TransformMatrix', 'Rotation', 'Orientation'], 9, file, [1, 0, 0, 0, 1, 0, 0, 0, 1]) as VolumeGeometry['direction'];
  checkOrthonormal(direction, file);
  return { geometry: { dims, spacing, origin, direction }, fields, headerBytes };
}

export function readMhd(file: string): MhdReadResult {
  const bytes = fs.readFileSync(file);
  const { geometry, fields, headerBytes } = readMhdHeader(file, bytes);
  const { dims } = geometry;
  const elementType = fields.get('ElementType') ?? '';
  const type = TYPES[elementType];
  if (!type) throw new Error(`${file}: ElementType "${elementType}" not supported (${Object.keys(TYPES).join(', ')})`);
  const msb = isTrue(fields.get('BinaryDataByteOrderMSB') ?? fields.get('ElementByteOrderMSB'));
  const dataName = fields.get('ElementDataFile');
  if (!dataName) throw new Error(`${file}: ElementDataFile missing`);
  if (/^LIST\b/i.test(dataName) || /%/.test(dataName)) throw new Error(`${file}: ElementDataFile "${dataName}" (a file list or pattern) is not supported; use one data file or LOCAL`);

  const n = dims[0] * dims[1] * dims[2];
  const need = n * type.bytes;
  const local = dataName.toUpperCase() === 'LOCAL';
  const dataFile = local ? file : path.resolve(path.dirname(file), dataName);
  let data: Buffer;
  try {
    data = local ? bytes.subarray(headerBytes) : fs.readFileSync(dataFile);
  } catch (err) {
    throw new Error(`${file}: cannot read ElementDataFile ${dataFile}: ${(err as Error).message}`);
  }
  if (isTrue(fields.get('CompressedData'))) {
    try {
      data = zlib.inflateSync(data);
    } catch (err) {
      throw new Error(`${dataFile}: CompressedData = True but the data does not inflate: ${(err as Error).message}`);
    }
  } else {
    // HeaderSize skips bytes at the start of a separate data file; -1 means "the data is the file's last bytes".
    const skip = local ? 0 : Number(fields.get('HeaderSize') ?? '0');
    data = skip === -1 ? data.subarray(Math.max(0, data.length - need)) : data.subarray(skip);
  }
  if (data.length < need) throw new Error(`${dataFile}: ${data.length} bytes of voxel data, ${need} needed for ${dims.join('×')} ${elementType}`);

  const voxels = new Int16Array(n);
  let clamped = 0;
  if (elementType === 'MET_SHORT' && !msb && HOST_LE) {
    new Uint8Array(voxels.buffer).set(data.subarray(0, need)); // the common case: a straight copy
    return { voxels, geometry, dataFile, elementType, clamped };
  }
  const dv = new DataView(data.buffer, data.byteOffset, need);
  for (let i = 0, o = 0; i < n; i++, o += type.bytes) {
    const v = Math.round(type.read(dv, o, !msb));
    if (v > 32767 || v < -32768 || Number.isNaN(v)) {
      clamped++;
      voxels[i] = Number.isNaN(v) ? 0 : v > 0 ? 32767 : -32768;
    } else voxels[i] = v;
  }
  return { voxels, geometry, dataFile, elementType, clamped };
}

function checkOrthonormal(d: number[], file: string): void {
  for (let a = 0; a < 3; a++)
    for (let b = a; b < 3; b++) {
      const dot = d[a * 3] * d[b * 3] + d[a * 3 + 1] * d[b * 3 + 1] + d[a * 3 + 2] * d[b * 3 + 2];
      if (Math.abs(dot - (a === b ? 1 : 0)) > 1e-3)
        throw new Error(`${file}: TransformMatrix is not orthonormal (axes ${a} and ${b}: dot ${dot.toFixed(4)}); sheared or scaled volumes are not read`);
    }
}

/**
 * The descriptor's "Data preprocessing" step 2: HU limited to [-1200, 600]. Returns a copy; for model input
 * and for comparing with LDFC's preprocessed data, never for measurements.
 */
export function clipHu(vol: HuVolume, lo = -1200, hi = 600): HuVolume {
  const voxels = new Int16Array(vol.voxels.length);
  for (let i = 0; i < voxels.length; i++) voxels[i] = Math.min(hi, Math.max(lo, vol.voxels[i]));
  return { voxels, geometry: vol.geometry };
}
