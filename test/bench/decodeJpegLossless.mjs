// Benchmark (issue 3): decode speed of a JPEG Lossless SV1 series with Pulmo's codec vs dcmtk's dcmdjpeg.
// Usage: node test/bench/decodeJpegLossless.mjs [patientDir]   (default: ../shared/data/lidc-idri/LIDC-IDRI-0001)
// Pulmo's figure is in-process decode time only; dcmdjpeg's is one process per file including its file I/O,
// which is how an import would call it. Output MB/s counts decoded bytes (rows*columns*2 per slice).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const patientDir = path.resolve(process.argv[2] ?? path.join(repoRoot, '..', 'shared', 'data', 'lidc-idri', 'LIDC-IDRI-0001'));
const bundleDir = path.join(repoRoot, 'node_modules', '.cache', 'pulmo-codecs-bench');
await build({
  absWorkingDir: repoRoot, entryPoints: { codecs: 'src-main/dicom/codecs/decodeFrame.ts' }, outdir: bundleDir,
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning',
});
const require = createRequire(import.meta.url);
const { decodeFrame, fragmentsFromParser, splitFrames } = require(path.join(bundleDir, 'codecs.js'));
const dicomParser = require('dicom-parser');

const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith('.dcm') ? [path.join(d, e.name)] : []));
const sources = walk(patientDir).sort();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-bench-'));
const compressed = sources.map((s, i) => {
  const out = path.join(tmp, `${i}.dcm`);
  execFileSync('dcmcjpeg', [s, out]);
  return out;
});

// Parse outside the timed loop: the benchmark measures decoding.
const frames = compressed.map((f) => {
  const bytes = new Uint8Array(fs.readFileSync(f));
  const ds = dicomParser.parseDicom(bytes);
  const el = ds.elements.x7fe00010;
  const info = {
    rows: ds.uint16('x00280010'), columns: ds.uint16('x00280011'), bitsAllocated: ds.uint16('x00280100'),
    bitsStored: ds.uint16('x00280101'), pixelRepresentation: ds.uint16('x00280103'), samplesPerPixel: 1,
    photometricInterpretation: ds.string('x00280004'),
  };
  return { uid: ds.string('x00020010').trim(), frame: splitFrames(fragmentsFromParser(bytes, el.fragments), 1, el.basicOffsetTable)[0], info };
});
const decodedBytes = frames.reduce((n, f) => n + f.info.rows * f.info.columns * 2, 0);
const compressedBytes = frames.reduce((n, f) => n + f.frame.length, 0);

await decodeFrame(frames[0].uid, frames[0].frame, frames[0].info); // load the module once, untimed
const rounds = 3;
let t = process.hrtime.bigint();
for (let r = 0; r < rounds; r++) for (const f of frames) await decodeFrame(f.uid, f.frame, f.info);
const pulmoS = Number(process.hrtime.bigint() - t) / 1e9 / rounds;

t = process.hrtime.bigint();
for (const [i, f] of compressed.entries()) execFileSync('dcmdjpeg', [f, path.join(tmp, `raw${i}.dcm`)]);
const dcmtkS = Number(process.hrtime.bigint() - t) / 1e9;
fs.rmSync(tmp, { recursive: true, force: true });

const mb = decodedBytes / 1e6;
console.log(`${frames.length} slices ${frames[0].info.rows}x${frames[0].info.columns}, ${frames[0].uid}, ${(compressedBytes / 1e6).toFixed(2)} MB compressed -> ${mb.toFixed(2)} MB decoded`);
console.log(`pulmo decodeFrame (jpeg-lossless-decoder-js): ${(pulmoS * 1000 / frames.length).toFixed(1)} ms/slice, ${(mb / pulmoS).toFixed(1)} MB/s`);
console.log(`dcmdjpeg (process per file, incl. file I/O):   ${(dcmtkS * 1000 / frames.length).toFixed(1)} ms/slice, ${(mb / dcmtkS).toFixed(1)} MB/s`);
