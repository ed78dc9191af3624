// multipart/related: what STOW-RS sends and WADO-RS answers. Round trip, and bodies that carry CRLF and the
// boundary's prefix inside a part.
import { describe, expect, it } from 'vitest';
import { boundaryOf, buildMultipart, splitMultipart } from '../../../src-main/net/multipart';

describe('multipart/related', () => {
  it('reads the boundary, quoted or not', () => {
    expect(boundaryOf('multipart/related; type="application/dicom"; boundary=abc123')).toBe('abc123');
    expect(boundaryOf('multipart/related; boundary="a b"; type="application/dicom"')).toBe('a b');
    expect(boundaryOf('application/dicom')).toBeNull();
  });

  it('splits what it builds back into the same parts, binary and CRLF included', () => {
    const parts = [Buffer.from([0, 1, 2, 13, 10, 45, 45]), Buffer.from('\r\n--bound not the boundary\r\n'), Buffer.alloc(0), Buffer.from('DICM')];
    const body = buildMultipart(parts, 'bound-xyz');
    const back = splitMultipart(body, 'bound-xyz');
    expect(back.map((b) => b.toString('hex'))).toEqual(parts.map((b) => b.toString('hex')));
  });

  it('reads a body written by another server (preamble, part headers, closing delimiter)', () => {
    const body = Buffer.from('preamble\r\n--B\r\nContent-Type: application/dicom\r\nContent-Length: 3\r\n\r\nabc\r\n--B\r\nContent-Type: application/dicom\r\n\r\nde\r\n--B--\r\n');
    expect(splitMultipart(body, 'B').map(String)).toEqual(['abc', 'de']);
  });
});
