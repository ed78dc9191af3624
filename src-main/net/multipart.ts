// multipart/related bodies for DICOMweb (WADO-RS responses, STOW-RS requests), RFC 2387 / PS3.18.

export function boundaryOf(contentType: string | null): string | null {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** Splits a multipart body into its part bodies (headers dropped). */
export function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const delim = Buffer.from(`--${boundary}`);
  const parts: Buffer[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const after = pos + delim.length;
    if (body.subarray(after, after + 2).toString('latin1') === '--') break; // closing delimiter
    const headerEnd = body.indexOf('\r\n\r\n', after);
    if (headerEnd < 0) break;
    const next = body.indexOf(delim, headerEnd + 4);
    if (next < 0) break;
    // The CRLF before the next delimiter belongs to the delimiter.
    const end = body[next - 2] === 0x0d && body[next - 1] === 0x0a ? next - 2 : next;
    parts.push(body.subarray(headerEnd + 4, end));
    pos = next;
  }
  return parts;
}

export function buildMultipart(parts: Buffer[], boundary: string, contentType = 'application/dicom'): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Type: ${contentType}\r\n\r\n`, 'latin1'), p, Buffer.from('\r\n', 'latin1'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return Buffer.concat(chunks);
}
