// Phase 1 header reading on real files: the LIDC crops, generated series in every native transfer syntax
// (converted by dcmtk's dcmconv), and files that must be rejected with a reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readHeader } from '../../../src-main/dicom/readHeader';
import { groupSeries } from '../../../src-main/dicom/groupSeries';
import { planVolume } from '../../../src-main/dicom/planVolume';
import { buildVolume } from '../../../src-main/dicom/buildVolume';
import type { DicomHeader } from '../../../src-main/dicom/types';
import { lidcSlices, tempDir } from '../../fixtures/dicom/paths';
import { CT_IMAGE_STORAGE, newUid, writeCtSeries } from '../../fixtures/dicom/ctSeries';
import { tag, writePart10 } from '../../fixtures/dicom/writeDicom';

function header(file: string): DicomHeader {
  const r = readHeader(file);
  if (r.kind !== 'header') throw new Error(`${file}: ${r.kind === 'error' ? r.reason : r.kind}`);
  return r.header;
}

describe('readHeader', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('hdr');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads an LIDC slice without reading its pixels', () => {
    const file = lidcSlices('LIDC-IDRI-0001').find((f) => f.endsWith('-100.000000.dcm'))!;
    const r = readHeader(file);
    expect(r.kind).toBe('header');
    if (r.kind !== 'header') return;
    const h = r.header;
    expect(h.patient.patientId).toBe('LIDC-IDRI-0001');
    expect(h.seriesInstanceUID).toBe('1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192');
    expect(h.sopInstanceUID).toBe('1.3.6.1.4.1.14519.5.2.1.6279.6001.282995352819655299409307857136');
    expect(h.transferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(h.frames[0].ipp).toEqual([-166, -171.699997, -100]);
    expect(h.frames[0].pixelSpacing).toEqual([0.703125, 0.703125]);
    expect(h.frames[0].rescaleIntercept).toBe(-1024);
    // Pixel Padding Value 63536 stored as US, read with the signed representation: -2000.
    expect(h.pixel?.paddingValue).toBe(-2000);
    expect(h.pixelData?.length).toBe(512 * 512 * 2);
    expect(h.pixelData!.offset + h.pixelData!.length).toBe(h.size);
    // Phase 1 reads a small prefix: a few KiB of a 512 KiB file.
    expect(r.bytesRead).toBeLessThanOrEqual(8192);
  });

  it('reads implicit VR, explicit big endian and deflated files to the same header and the same HU', async () => {
    const src = path.join(dir, 'syntaxes');
    const w = writeCtSeries({ dir: src, rows: 12, columns: 10, slices: 3, pixelSpacing: [0.6, 0.8], sliceStep: 1.25, origin: [-20, 5, 40], bitsStored: 12 });
    const variants: Record<string, string> = { '+ti': '1.2.840.10008.1.2', '+tb': '1.2.840.10008.1.2.2', '+td': '1.2.840.10008.1.2.1.99' };
    const reference = await buildVolume(planVolume(groupSeries(w.files.map(header)).groups[0]).plan!);
    for (const [flag, uid] of Object.entries(variants)) {
      const out = path.join(dir, flag.slice(1));
      fs.mkdirSync(out);
      const files = w.files.map((f) => {
        const o = path.join(out, path.basename(f));
        execFileSync('dcmconv', [flag, f, o]);
        return o;
      });
      const headers = files.map(header);
      expect(headers[0].transferSyntaxUID).toBe(uid);
      expect(headers[0].frames[0].ipp).toEqual([-20, 5, 40]);
      expect(headers[0].pixel?.bitsStored).toBe(12);
      const plan = planVolume(groupSeries(headers).groups[0]).plan!;
      const built = await buildVolume(plan);
      expect(built.volume.geometry).toEqual(reference.volume.geometry);
      expect(Buffer.from(built.volume.voxels.buffer).equals(Buffer.from(reference.volume.voxels.buffer))).toBe(true);
    }
    // And the values are the generator's: stored ramp (12-bit signed) + intercept -1024.
    const g = reference.volume.geometry;
    const i = 7, j = 5, k = 1; // the fixture writes files in k order, rows j, columns i
    const ramp = ((i + 3 * j + 100 * k) % 2000) - 1000;
    const expected = ((ramp & 0xfff) >= 0x800 ? (ramp & 0xfff) - 0x1000 : ramp & 0xfff) - 1024;
    expect(reference.volume.voxels[i + g.dims[0] * (j + g.dims[1] * k)]).toBe(expected);
  });

  it('rejects non-DICOM, truncated and unsupported files with a reason', () => {
    const txt = path.join(dir, 'notes.txt');
    fs.writeFileSync(txt, 'x'.repeat(400));
    expect(readHeader(txt)).toMatchObject({ kind: 'error', code: 'not_dicom', reason: expect.stringMatching(/not DICOM/) });

    const w = writeCtSeries({ dir: path.join(dir, 'trunc'), rows: 16, columns: 16, slices: 1, pixelSpacing: [1, 1], sliceStep: 1, origin: [0, 0, 0] });
    const cut = path.join(dir, 'cut.dcm');
    const bytes = fs.readFileSync(w.files[0]);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    expect(readHeader(cut)).toMatchObject({ kind: 'error', code: 'bad_header', reason: expect.stringMatching(/truncated/) });
    const cutHeader = path.join(dir, 'cut-header.dcm');
    fs.writeFileSync(cutHeader, bytes.subarray(0, 300));
    expect(readHeader(cutHeader).kind).toBe('error');

    const mpeg = path.join(dir, 'video.dcm');
    const sop = newUid();
    writePart10(mpeg, [{ tag: tag(0x0008, 0x0018), vr: 'UI', value: sop }], CT_IMAGE_STORAGE, sop, '1.2.840.10008.1.2.4.100');
    expect(readHeader(mpeg)).toMatchObject({
      kind: 'error',
      reason: 'unsupported transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2 Main Profile / Main Level)',
    });
  });

  it('writes fixtures that dcmtk and dciodvfy accept as CT images', () => {
    const w = writeCtSeries({ dir: path.join(dir, 'valid'), rows: 8, columns: 8, slices: 1, pixelSpacing: [1, 1], sliceStep: 1, origin: [0, 0, 0] });
    execFileSync('dcmdump', ['-q', w.files[0]]);
    const report = execFileSync('dciodvfy', [w.files[0]], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(report).not.toMatch(/^Error/m);
  });
});
