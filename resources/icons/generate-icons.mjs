// Draws Pulmo's icon in code (no ImageMagick needed): a dark tile with two lungs, the airway, and one nodule
// circled in amber, the thing the app finds. Writes the PNG sizes electron-builder and the window use, plus .ico
// (Windows) and .icns (macOS) containers holding PNGs. Run: node resources/icons/generate-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const here = path.dirname(new URL(import.meta.url).pathname);

// --- shapes in unit coordinates (0..1, y down); each returns a signed distance (negative inside) -----------
const len = (x, y) => Math.hypot(x, y);
function roundedSquare(x, y, half, r) {
  const qx = Math.abs(x - 0.5) - half + r;
  const qy = Math.abs(y - 0.5) - half + r;
  return len(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}
function ellipse(x, y, cx, cy, rx, ry) {
  const k = len((x - cx) / rx, (y - cy) / ry);
  return (k - 1) * Math.min(rx, ry);
}
function circle(x, y, cx, cy, r) {
  return len(x - cx, y - cy) - r;
}
function capsule(x, y, ax, ay, bx, by, r) {
  const px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
  const h = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return len(px - dx * h, py - dy * h) - r;
}
const union = (a, b) => Math.min(a, b);
const minus = (a, b) => Math.max(a, -b);

function lung(x, y, side) {
  // side -1: patient's right lung (image left), +1: left lung with the cardiac notch
  const cx = 0.5 + side * 0.19;
  // apex narrower than the base: a wide ellipse low down joined to a narrow one on top
  let d = union(ellipse(x, y, cx, 0.64, 0.16, 0.23), ellipse(x, y, cx + side * 0.01, 0.5, 0.12, 0.26));
  d = minus(d, ellipse(x, y, 0.5, 0.6, 0.07, 0.4)); // mediastinum
  d = minus(d, ellipse(x, y, cx, 0.99, 0.3, 0.12)); // diaphragm dome
  if (side > 0) d = minus(d, ellipse(x, y, 0.53, 0.8, 0.1, 0.09)); // cardiac notch
  return d;
}

const COLORS = {
  tile: [20, 32, 43],
  lung: [95, 179, 201],
  airway: [232, 238, 242],
  nodule: [245, 166, 35],
};

/** Layers painted back to front: [signed distance fn, colour]. */
const layers = [
  [(x, y) => roundedSquare(x, y, 0.47, 0.2), COLORS.tile],
  [(x, y) => union(lung(x, y, -1), lung(x, y, 1)), COLORS.lung],
  [
    (x, y) =>
      union(
        capsule(x, y, 0.5, 0.13, 0.5, 0.4, 0.032),
        union(capsule(x, y, 0.5, 0.4, 0.39, 0.5, 0.026), capsule(x, y, 0.5, 0.4, 0.61, 0.5, 0.026)),
      ),
    COLORS.airway,
  ],
  [(x, y) => Math.abs(circle(x, y, 0.32, 0.64, 0.065)) - 0.012, COLORS.nodule], // the CAD mark
  [(x, y) => circle(x, y, 0.32, 0.64, 0.028), COLORS.nodule], // the nodule
];

function render(size) {
  const ss = size <= 64 ? 8 : 4; // supersampling per axis: smooth edges at every size
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const x = (px + (sx + 0.5) / ss) / size;
          const y = (py + (sy + 0.5) / ss) / size;
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const [fn, [lr, lg, lb]] of layers) {
            if (fn(x, y) <= 0) {
              cr = lr; cg = lg; cb = lb; ca = 1;
            }
          }
          r += cr * ca; g += cg * ca; b += cb * ca; a += ca;
        }
      }
      const o = (py * size + px) * 4;
      const n = ss * ss;
      rgba[o] = a ? Math.round(r / a) : 0;
      rgba[o + 1] = a ? Math.round(g / a) : 0;
      rgba[o + 2] = a ? Math.round(b / a) : 0;
      rgba[o + 3] = Math.round((255 * a) / n);
    }
  }
  return rgba;
}

// --- PNG / ICO / ICNS encoders ------------------------------------------------------------------------------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function ico(entries) {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach(([size, data], i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size; // 0 means 256
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4); // planes
    header.writeUInt16LE(32, e + 6); // bits per pixel
    header.writeUInt32LE(data.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += data.length;
  });
  return Buffer.concat([header, ...entries.map(([, d]) => d)]);
}
function icns(entries) {
  const parts = entries.map(([type, data]) => {
    const h = Buffer.alloc(8);
    h.write(type, 0, 'ascii');
    h.writeUInt32BE(8 + data.length, 4);
    return Buffer.concat([h, data]);
  });
  const body = Buffer.concat(parts);
  const h = Buffer.alloc(8);
  h.write('icns', 0, 'ascii');
  h.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([h, body]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map(sizes.map((s) => [s, png(s, render(s))]));
fs.mkdirSync(path.join(here, 'png'), { recursive: true });
for (const s of sizes) if (s <= 512) fs.writeFileSync(path.join(here, 'png', `${s}x${s}.png`), pngs.get(s));
fs.writeFileSync(path.join(here, 'icon.png'), pngs.get(512));
fs.writeFileSync(path.join(here, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((s) => [s, pngs.get(s)])));
fs.writeFileSync(
  path.join(here, 'icon.icns'),
  icns([['icp4', pngs.get(16)], ['icp5', pngs.get(32)], ['icp6', pngs.get(64)], ['ic07', pngs.get(128)], ['ic08', pngs.get(256)], ['ic09', pngs.get(512)], ['ic10', pngs.get(1024)]]),
);
console.log(`icons: ${sizes.join(', ')} px -> ${path.relative(process.cwd(), here)}/{icon.png,icon.ico,icon.icns,png/}`);
