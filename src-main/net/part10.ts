// DICOM Part 10 file meta information, written in front of a data set received raw over the network so the
// spooled file is an ordinary DICOM file that the import pipeline reads like any other.
const IMPLEMENTATION_CLASS_UID = '1.2.826.0.1.3680043.10.1313.1';
const IMPLEMENTATION_VERSION = 'PULMO_NET_1';

function element(group: number, elem: number, vr: string, value: Buffer): Buffer {
  const long = vr === 'OB' || vr === 'UN' || vr === 'SQ' || vr === 'UT';
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

/** UI values are padded with NUL, text with a space, to an even length. */
function padded(s: string, pad: '\0' | ' '): Buffer {
  return Buffer.from(s.length % 2 ? s + pad : s, 'latin1');
}

export function fileMetaHeader(m: { sopClassUID: string; sopInstanceUID: string; transferSyntaxUID: string; sourceAet?: string }): Buffer {
  const body = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', padded(m.sopClassUID, '\0')),
    element(0x0002, 0x0003, 'UI', padded(m.sopInstanceUID, '\0')),
    element(0x0002, 0x0010, 'UI', padded(m.transferSyntaxUID, '\0')),
    element(0x0002, 0x0012, 'UI', padded(IMPLEMENTATION_CLASS_UID, '\0')),
    element(0x0002, 0x0013, 'SH', padded(IMPLEMENTATION_VERSION, ' ')),
    ...(m.sourceAet ? [element(0x0002, 0x0016, 'AE', padded(m.sourceAet, ' '))] : []),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(body.length, 0);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', groupLength), body]);
}
