// Why a file (or a series part) was left out of an import: one code per cause, so the UI can group rejections
// and tests can assert on them. Every rejection carries a code and a human reason naming file, tag and value.
export const REJECT_CODES = [
  'not_found', // the path does not exist
  'unreadable', // the OS refused to open or read it (permissions, I/O error)
  'not_regular_file', // a FIFO, device, socket or /proc entry: never opened
  'outside_folder', // a symlink or DICOMDIR reference pointing outside the chosen folders
  'not_dicom', // no part-10 preamble, too short
  'bad_meta', // the file meta information cannot be read
  'unsupported_syntax', // a transfer syntax Pulmo does not decode (or does not know)
  'parse_error', // the data set is malformed (bad lengths, VRs, nesting)
  'truncated', // the file ends before its Pixel Data does
  'missing_attribute', // a required attribute (UIDs) is absent
  'limit_exceeded', // rows, columns, frames, file or volume size over the limits in dicom/limits.ts
  'bad_pixel_format', // an impossible BitsAllocated/BitsStored/HighBit/PixelRepresentation/samples combination
  'bad_rescale', // RescaleSlope/Intercept not finite or outside any CT range
  'bad_geometry', // ImagePositionPatient/ImageOrientationPatient/PixelSpacing not finite, degenerate or absurd
  'duplicate', // same SOPInstanceUID as another file (in this import or the index)
  'series_refused', // the series part as a whole cannot become a volume (a reason names what)
] as const;

export type RejectCode = (typeof REJECT_CODES)[number];

export function isRejectCode(s: unknown): s is RejectCode {
  return typeof s === 'string' && (REJECT_CODES as readonly string[]).includes(s);
}

/** A reader-facing message for anything thrown, including the plain objects and numbers WASM codecs throw. */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if ('exception' in o) return errorMessage(o.exception);
    if (typeof o.message === 'string') return o.message;
    try {
      return JSON.stringify(e).slice(0, 200);
    } catch {
      const name = (e as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      return `unreadable ${name} thrown (keys: ${Object.keys(o).slice(0, 8).join(', ') || 'none'})`;
    }
  }
  return String(e);
}
