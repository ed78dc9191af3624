// A synthetic uncompressed CT series (512x512xN by default, explicit VR little endian) written to a folder, for
// the benchmarks that need a large real-format series to import or send: a body-like disc of soft tissue in air,
// varying with the slice (stored = HU + 1024), 0.703125 mm pixels, 0.625 mm slices.
import fs from 'node:fs';
import path from 'node:path';

function el(group, element, vr, value) {
  const long = ['OB', 'OW', 'SQ', 'UT', 'UN'].includes(vr);
  let v = Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value, 'latin1') : null;
  if (!v) {
    v = Buffer.alloc(2 * value.length);
    value.forEach((n, i) => v.writeUInt16LE(n, 2 * i));
  }
  if (v.length % 2) v = Buffer.concat([v, Buffer.from(vr === 'UI' ? '\0' : ' ')]);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(v.length, 8);
  else h.writeUInt16LE(v.length, 6);
  return Buffer.concat([h, v]);
}

/**
 * Writes `slices` files of `size`x`size` into `dir`; `fileName(k)` names slice k (callers may shuffle the names so
 * that order must come from the geometry). Returns the total bytes written.
 */
export function writeSyntheticCtSeries(dir, { slices, size, patientName = 'Bench^Patient', patientId = 'BENCH', fileName = (k) => `s${String(k).padStart(4, '0')}.dcm` }) {
  const uid = (n) => `2.25.${Date.now()}${process.pid}${n}`.slice(0, 64);
  const study = uid(1), series = uid(2), frame = uid(3);
  const pixels = Buffer.alloc(size * size * 2);
  let total = 0;
  for (let k = 0; k < slices; k++) {
    for (let j = 0; j < size; j++)
      for (let i = 0; i < size; i++) {
        const r = Math.hypot(i - size / 2, j - size / 2);
        pixels.writeUInt16LE(r < size * 0.4 ? 1024 + 40 + ((i + j + k) % 30) : 24, 2 * (i + size * j));
      }
    const sop = uid(`9${k}`);
    const meta = Buffer.concat([el(2, 1, 'OB', Buffer.from([0, 1])), el(2, 2, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(2, 3, 'UI', sop), el(2, 0x10, 'UI', '1.2.840.10008.1.2.1')]);
    const ds = Buffer.concat([
      el(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(8, 0x18, 'UI', sop), el(8, 0x60, 'CS', 'CT'),
      el(0x10, 0x10, 'PN', patientName), el(0x10, 0x20, 'LO', patientId),
      el(0x18, 0x50, 'DS', '0.625'),
      el(0x20, 0x0d, 'UI', study), el(0x20, 0x0e, 'UI', series), el(0x20, 0x13, 'IS', String(k + 1)),
      el(0x20, 0x32, 'DS', `-180\\-180\\${(-300 + 0.625 * k).toFixed(3)}`), el(0x20, 0x37, 'DS', '1\\0\\0\\0\\1\\0'), el(0x20, 0x52, 'UI', frame),
      el(0x28, 2, 'US', [1]), el(0x28, 4, 'CS', 'MONOCHROME2'), el(0x28, 0x10, 'US', [size]), el(0x28, 0x11, 'US', [size]),
      el(0x28, 0x30, 'DS', '0.703125\\0.703125'), el(0x28, 0x100, 'US', [16]), el(0x28, 0x101, 'US', [16]), el(0x28, 0x102, 'US', [15]), el(0x28, 0x103, 'US', [0]),
      el(0x28, 0x1052, 'DS', '-1024'), el(0x28, 0x1053, 'DS', '1'),
      el(0x7fe0, 0x10, 'OW', pixels),
    ]);
    const pre = Buffer.alloc(132);
    pre.write('DICM', 128);
    const gl = el(2, 0, 'UL', Buffer.from(Uint32Array.of(meta.length).buffer));
    const file = Buffer.concat([pre, gl, meta, ds]);
    fs.writeFileSync(path.join(dir, fileName(k)), file);
    total += file.length;
  }
  return total;
}
