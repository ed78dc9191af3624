// CAD on a whole real LIDC-IDRI series: import (decode) time, then computeCad with the classical detector as
// the app runs it (ONNX smoothing on the chosen provider), per-stage times, peak RSS, and what it marked at the
// default operating point against the readers' nodules. Bundled and started by test/bench/cadLidc.mjs.
// Measures and prints; never passes or fails on a time. --cache DIR keeps the decoded volume between runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { classicalDeps } from '../../src-main/cad/cadDeps';
import { computeCad } from '../../src-main/cad/computeCad';
import { CLASSICAL_DETECTOR } from '../../src-main/cad/registry';
import { probeProvider } from '../../src-main/cad/providers';
import { releaseSessions } from '../../src-main/cad/session';
import { lidcReferenceNodules } from '../../src-main/formats/lidcReference';
import { CAD_DEFAULT_OPERATING_POINT } from '../../src-main/shared/cadTypes';
import type { HuVolume, VolumeGeometry } from '../../src-main/shared/geometry';
import { lidcFullRoot, loadLidcCrop } from '../fixtures/phantom/loadLidcCrop';

const rssMiB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

interface Loaded { volume: HuVolume; xml: string; slices: { sopInstanceUID: string; z: number }[] }

async function load(patient: string, cacheDir: string): Promise<Loaded> {
  const meta = path.join(cacheDir, `${patient}.json`);
  const raw = path.join(cacheDir, `${patient}.i16`);
  if (cacheDir && fs.existsSync(meta) && fs.existsSync(raw)) {
    const m = JSON.parse(fs.readFileSync(meta, 'utf8')) as { geometry: VolumeGeometry; xml: string; slices: Loaded['slices'] };
    const b = fs.readFileSync(raw);
    return { volume: { geometry: m.geometry, voxels: new Int16Array(b.buffer, b.byteOffset, b.byteLength / 2) }, xml: m.xml, slices: m.slices };
  }
  const t = performance.now();
  const s = await loadLidcCrop(patient, lidcFullRoot);
  console.log(`decode ${s.slices.length} slices through the import chain: ${Math.round(performance.now() - t)} ms`);
  if (cacheDir) {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(raw, Buffer.from(s.volume.voxels.buffer, s.volume.voxels.byteOffset, s.volume.voxels.byteLength));
    fs.writeFileSync(meta, JSON.stringify({ geometry: s.volume.geometry, xml: s.xml, slices: s.slices }));
  }
  return { volume: s.volume, xml: s.xml, slices: s.slices };
}

export async function main(): Promise<void> {
  const patient = arg('patient', 'LIDC-IDRI-0002');
  const provider = arg('provider', 'cpu');
  const cacheDir = arg('cache', '');
  if (!fs.existsSync(path.join(lidcFullRoot, patient))) {
    console.log(`${path.join(lidcFullRoot, patient)} not found: nothing to measure`);
    return;
  }
  console.log(`CAD on ${patient} (whole series), ${os.cpus().length} CPU cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const s = await load(patient, cacheDir);
  const g = s.volume.geometry;
  console.log(`volume ${g.dims.join('×')} at ${g.spacing.map((v) => v.toFixed(3)).join('×')} mm; peak RSS after load ${rssMiB()} MiB`);
  const refs = lidcReferenceNodules(s.xml, g, { slices: s.slices });
  const providers = provider === 'cpu' ? ['cpu'] : ['cpu', provider];
  try {
    for (const p of providers) {
      if (p !== 'cpu') {
        const probe = await probeProvider(p);
        if (!probe.ok) {
          console.log(`\n[${p}] not available here: ${probe.reason}`);
          continue;
        }
      }
      const t = performance.now();
      const cpu0 = process.cpuUsage();
      const out = await computeCad(s.volume, { runId: 'bench', seriesInstanceUID: 'bench', detector: { kind: 'classical', ...CLASSICAL_DETECTOR }, classifier: null, provider: p, patient: { ageYears: null, sex: null } }, classicalDeps);
      const wall = performance.now() - t;
      const cpu = process.cpuUsage(cpu0);
      // On a shared machine the wall time includes waiting for a core; the CPU time (all threads) does not.
      console.log(`\n[${p}] CAD total ${(wall / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU (all threads), peak RSS ${rssMiB()} MiB; load average now ${os.loadavg()[0].toFixed(1)}`);
      console.log(`  stages (ms): ${Object.entries(out.timingsMs).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}`);
      console.log(`  candidates ${out.counts.candidates} (below the UI's floor, not characterised: ${out.counts.belowFloor}); rejected on anatomy ${out.counts.rejected}; findings ${out.findings.length}`);
      const near = (c: readonly number[], r: (typeof refs)[number]): boolean => Math.hypot(c[0] - r.finding.centerLPS[0], c[1] - r.finding.centerLPS[1], c[2] - r.finding.centerLPS[2]) <= Math.max(3, (r.finding.diameterMm ?? 6) / 2);
      const shown = out.findings.filter((f) => (f.score ?? 0) >= CAD_DEFAULT_OPERATING_POINT);
      const fp = shown.filter((f) => !refs.some((r) => near(f.centerLPS, r)));
      console.log(`  at the default operating point (score ≥ ${CAD_DEFAULT_OPERATING_POINT}): ${shown.length} marks, ${fp.length} false`);
      for (const r of refs) {
        const f = out.findings.find((x) => near(x.centerLPS, r));
        console.log(`  reference ${r.finding.label} (${r.readers} readers, ${r.finding.diameterMm ?? '?'} mm at ${r.finding.centerLPS.map((v) => v.toFixed(1)).join(', ')}): ${f ? `score ${f.score?.toFixed(3)}` : 'not among the findings'}`);
      }
      for (const f of fp) console.log(`  false mark at LPS ${f.centerLPS.map((v) => v.toFixed(1)).join(', ')}: score ${f.score?.toFixed(3)}, ${f.diameterMm} mm, ${f.meanHU} HU, Lung-RADS ${f.lungRads}`);
      for (const r of out.rejected.slice(0, 12)) console.log(`  rejected at LPS ${r.centerLPS.map((v) => v.toFixed(1)).join(', ')}: ${r.reason} (score ${r.score.toFixed(3)})`);
    }
  } finally {
    await releaseSessions();
  }
}
