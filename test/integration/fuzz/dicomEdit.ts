// Byte-level editing of explicit VR little endian part-10 files, for the fuzz harness: find a top-level element
// (dicom-parser gives its value offset and length), replace or insert one, keeping the meta group length right.
import dicomParser from 'dicom-parser';

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'OD', 'OL', 'OV', 'SQ', 'UT', 'UN', 'UC', 'UR', 'SV', 'UV']);

export interface Located {
  /** 'xGGGGEEEE' */
  tag: string;
  /** First byte of the element (its tag). */
  start: number;
  /** One past its last value byte. */
  end: number;
  /** Where its length field lies and how wide it is. */
  lengthAt: number;
  lengthBytes: 2 | 4;
  /** Where its two VR characters lie. */
  vrAt: number;
}

/** Top-level elements (meta and data set) in file order. Throws when the file does not parse. */
export function locate(bytes: Uint8Array): Located[] {
  const ds = dicomParser.parseDicom(bytes);
  const out: Located[] = [];
  for (const [tag, el] of Object.entries(ds.elements)) {
    const vr = el.vr ?? '';
    const long = LONG_VRS.has(vr);
    const start = el.dataOffset - (long ? 12 : 8);
    const undefinedLength = el.hadUndefinedLength === true;
    // An undefined-length element ends after its sequence delimitation item (8 bytes) when it had one.
    const end = undefinedLength ? el.dataOffset + el.length + 8 : el.dataOffset + el.length;
    out.push({ tag, start, end: Math.min(end, bytes.length), lengthAt: start + (long ? 8 : 6), lengthBytes: long ? 4 : 2, vrAt: start + 4 });
  }
  return out.sort((a, b) => a.start - b.start);
}

const tagNumber = (tag: string): number => parseInt(tag.slice(1), 16);

export function encodeElement(tag: string, vr: string, value: Buffer): Buffer {
  let v = value;
  if (v.length % 2) v = Buffer.concat([v, Buffer.from([vr === 'UI' || vr === 'OB' || vr === 'UN' ? 0 : 0x20])]);
  const n = tagNumber(tag);
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(n >>> 16, 0);
  head.writeUInt16LE(n & 0xffff, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(v.length, 8);
  else head.writeUInt16LE(v.length, 6);
  return Buffer.concat([head, v]);
}

/** The file with `tag` set to the encoded element (replaced, or inserted in tag order); meta group length kept. */
export function setElement(bytes: Buffer, tag: string, encoded: Buffer): Buffer {
  const els = locate(bytes);
  const found = els.find((e) => e.tag === tag);
  let start: number;
  let end: number;
  if (found) ({ start, end } = found);
  else {
    const next = els.find((e) => tagNumber(e.tag) > tagNumber(tag));
    start = end = next ? next.start : bytes.length;
  }
  const out = Buffer.concat([bytes.subarray(0, start), encoded, bytes.subarray(end)]);
  if (tag.startsWith('x0002')) {
    const gl = els.find((e) => e.tag === 'x00020000');
    if (gl) out.writeUInt32LE(out.readUInt32LE(gl.start + 8) + encoded.length - (end - start), gl.start + 8);
  }
  return out;
}

export function setString(bytes: Buffer, tag: string, vr: string, value: string): Buffer {
  return setElement(bytes, tag, encodeElement(tag, vr, Buffer.from(value, 'latin1')));
}

export function setUint16(bytes: Buffer, tag: string, value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(value & 0xffff);
  return setElement(bytes, tag, encodeElement(tag, 'US', b));
}
