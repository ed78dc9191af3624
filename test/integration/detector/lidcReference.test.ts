import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { parseLidcXml } from '../../../src-main/formats/lidcXml';
import { lidcReferenceFindings, lidcReferenceNodules } from '../../../src-main/formats/lidcReference';
import { loadLidcCrop, lidcRoot } from '../../fixtures/phantom/loadLidcCrop';

const haveData = fs.existsSync(lidcRoot);

describe.skipIf(!haveData)('LIDC reader XML (real files from ../shared/data/lidc-idri)', () => {
  it('parses the four reading sessions of LIDC-IDRI-0001 with outlines, points and characteristics', async () => {
    const crop = await loadLidcCrop('LIDC-IDRI-0001');
    const read = parseLidcXml(crop.xml);
    expect(read.seriesInstanceUID).toBe(crop.seriesInstanceUID);
    expect(read.sessions).toHaveLength(4);
    const all = read.sessions.flatMap((s) => s.nodules);
    const rated = all.filter((n) => !n.small);
    expect(rated.length).toBe(4); // one >= 3 mm nodule per reader (4 <characteristics> blocks in the file)
    for (const n of rated) {
      expect(n.characteristics.malignancy).toBeGreaterThanOrEqual(1);
      expect(n.rois.length).toBeGreaterThan(3);
      expect(n.rois.every((r) => r.points.length > 0 && Number.isFinite(r.z))).toBe(true);
    }
    expect(read.sessions.flatMap((s) => s.nonNodules).length).toBe(13);
    // The other 9 of the file's 13 <unblindedReadNodule> are < 3 mm: one roi holding a single point.
    const small = all.filter((n) => n.small);
    expect(small.length).toBe(9);
    for (const n of small) expect(n.rois[0].points).toHaveLength(1);
  });

  it('clusters the reads into one 4-reader nodule in 0001 with LPS contours on the crop slices only', async () => {
    const crop = await loadLidcCrop('LIDC-IDRI-0001');
    const refs = lidcReferenceNodules(crop.xml, crop.volume.geometry, { slices: crop.slices });
    const main = refs[0];
    expect(main.readers).toBe(4);
    expect(main.finding.label).toBe('LIDC nodule (4/4 readers)');
    expect(main.finding.source).toBe('reference');
    // README: the main nodule spans z -125 to -105.
    expect(main.finding.centerLPS[2]).toBeGreaterThan(-126);
    expect(main.finding.centerLPS[2]).toBeLessThan(-104);
    const zs = new Set(crop.slices.map((s) => s.z.toFixed(2)));
    expect(main.finding.contours.length).toBeGreaterThan(0);
    for (const c of main.finding.contours) expect(zs.has(c.pointsLPS[0][2].toFixed(2))).toBe(true);
    expect(main.malignancy).toBeGreaterThanOrEqual(4);
    expect(main.finding.diameterMm).toBeGreaterThan(10);
  });

  it('rejects a file that is not an LIDC read message, naming the source', () => {
    expect(() => parseLidcXml('<foo/>', 'bad.xml')).toThrow(/bad.xml/);
    expect(() => parseLidcXml('<LidcReadMessage><readingSession><nonNodule><imageZposition>abc</imageZposition></nonNodule></readingSession></LidcReadMessage>', 'x.xml')).toThrow(/x.xml.*imageZposition/);
  });
});

describe.skipIf(!haveData)('LIDC reference findings', () => {
  it('are plain Findings with LPS geometry and no invented measurements', async () => {
    const crop = await loadLidcCrop('LIDC-IDRI-0003');
    const findings = lidcReferenceFindings(crop.xml, crop.volume.geometry, { slices: crop.slices, seriesInstanceUID: crop.seriesInstanceUID });
    expect(findings.length).toBeGreaterThan(0);
    const f = findings[0];
    expect(f.seriesInstanceUID).toBe(crop.seriesInstanceUID);
    // README: the nodule of 0003 lies at z -199 to -184.
    expect(f.centerLPS[2]).toBeGreaterThan(-200);
    expect(f.centerLPS[2]).toBeLessThan(-183);
    for (let a = 0; a < 3; a++) {
      expect(f.boxLPS.min[a]).toBeLessThanOrEqual(f.centerLPS[a]);
      expect(f.boxLPS.max[a]).toBeGreaterThanOrEqual(f.centerLPS[a]);
    }
    expect([f.volumeMm3, f.meanHU, f.score, f.lungRads, f.brock]).toEqual([null, null, null, null, null]);
  });
});
