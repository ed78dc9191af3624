// The built-in detector on real CT: the LIDC-IDRI crops in ../shared/data (never used to set the weights).
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { detectNodules } from '../../../src-main/cad/detector/detectNodules';
import { characterizeNodule } from '../../../src-main/cad/measure/characterizeNodule';
import { lidcReferenceNodules } from '../../../src-main/formats/lidcReference';
import { froc } from '../../../src-main/eval/froc';
import type { FrocScan } from '../../../src-main/eval/froc';
import { loadLidcCrop, lidcRoot } from '../../fixtures/phantom/loadLidcCrop';

const haveData = fs.existsSync(lidcRoot);
const scans: FrocScan[] = [];

describe.skipIf(!haveData)('detectNodules on the LIDC-IDRI crops', () => {
  it.each(['LIDC-IDRI-0001', 'LIDC-IDRI-0003'])('%s: the nodule marked by >= 3 readers is detected', async (patient) => {
    const crop = await loadLidcCrop(patient);
    const zr = [crop.slices[0].z, crop.slices[crop.slices.length - 1].z];
    const refs = lidcReferenceNodules(crop.xml, crop.volume.geometry, { slices: crop.slices })
      .filter((r) => r.finding.centerLPS[2] >= zr[0] && r.finding.centerLPS[2] <= zr[1]);
    const real = refs.filter((r) => r.readers >= 3);
    expect(real.length).toBeGreaterThan(0);
    const res = await detectNodules(crop.volume);
    const radius = (r: (typeof refs)[number]): number => Math.max(3, (r.finding.diameterMm ?? 6) / 2);
    const hit = (r: (typeof refs)[number]): number =>
      res.candidates.findIndex((c) => Math.hypot(...([0, 1, 2].map((a) => c.centerLPS[a] - r.finding.centerLPS[a]) as [number, number, number])) <= radius(r));
    for (const r of real) expect(hit(r), `${patient} ${r.finding.label}`).toBeGreaterThanOrEqual(0);
    const fp = res.candidates.filter((c) => refs.every((r) => Math.hypot(c.centerLPS[0] - r.finding.centerLPS[0], c.centerLPS[1] - r.finding.centerLPS[1], c.centerLPS[2] - r.finding.centerLPS[2]) > radius(r)));
    const top = res.candidates[hit(real[0])];
    console.log(`${patient}: reference ${real.map((r) => `${r.finding.label} d=${r.finding.diameterMm} mm`).join('; ')} → rank ${hit(real[0])} score ${top.score.toFixed(3)}; ` +
      `false positives ${fp.length} (score >= 0.5: ${fp.filter((c) => c.score >= 0.5).length}); ${res.candidates.length} candidates; timings ${JSON.stringify(res.timingsMs)}`);
    scans.push({
      id: patient,
      nodules: refs.map((r) => ({ center: r.finding.centerLPS, radiusMm: radius(r), ignore: r.readers < 3 })),
      candidates: res.candidates.map((c) => ({ center: c.centerLPS, score: c.score })),
    });
    // The detected candidate characterises to a solid nodule of about the readers' size.
    const ch = characterizeNodule(crop.volume, top.centerLPS, { radiusHintMm: top.radiusMm, lungZRangeMm: res.lung?.zRangeMm, midlineXMm: res.lung?.midlineXMm });
    expect(ch).not.toBeNull();
    console.log(`${patient}: characterised ${ch!.type} ${ch!.diameterMm} mm (long ${ch!.longAxisMm}, short ${ch!.shortAxisMm}), ${Math.round(ch!.volumeMm3)} mm³, mean ${ch!.meanHU} HU, ${ch!.location.side} ${ch!.location.zone}, juxtapleural ${ch!.juxtapleural}`);
    expect(ch!.type).toBe(real[0].finding.type); // LIDC texture 5 = solid for both
    expect(Math.abs(ch!.longAxisMm - (real[0].finding.diameterMm ?? 0))).toBeLessThan(0.35 * (real[0].finding.diameterMm ?? 0));
  }, 120_000);

  it('FROC over the two crops is reported', () => {
    expect(scans.length).toBe(2);
    const r = froc(scans);
    console.log('LIDC crops FROC', r.fpRates.map((f, i) => `${f}:${r.sensitivities[i].toFixed(2)}`).join(' '), 'CPM', r.cpm.toFixed(3));
    expect(r.maxSensitivity).toBe(1);
  });
});
