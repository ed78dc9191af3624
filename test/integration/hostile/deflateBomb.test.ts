// A deflated data set of ~3 MB that inflates to 600 MB is rejected at the inflate limit (limit_exceeded), not
// inflated whole into memory.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readHeader } from '../../../src-main/dicom/readHeader';
import { lidcSlices, tempDir } from '../../fixtures/dicom/paths';
import { cropSlice, deflateBomb } from '../fuzz/mutators';

describe('deflate bomb', () => {
  const root = tempDir('deflate-bomb');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is rejected at the inflate limit with its reason', () => {
    const seed = cropSlice(fs.readFileSync(lidcSlices('LIDC-IDRI-0001')[0]), 32);
    const m = deflateBomb(seed, 600 << 20);
    expect(m.bytes.length).toBeLessThan(4 << 20); // over 150 times smaller than what it inflates to
    const file = path.join(root, 'bomb.dcm');
    fs.writeFileSync(file, m.bytes);
    expect(readHeader(file)).toMatchObject({ kind: 'error', code: 'limit_exceeded', reason: expect.stringMatching(/inflates past 512 MB/) });
  });
});
