// Which transfer syntaxes the import reads: the native ones here, the encapsulated ones through the codecs.
import { isEncapsulatedSyntaxSupported, transferSyntaxName } from './codecs/transferSyntaxes';

export const TS_IMPLICIT_LE = '1.2.840.10008.1.2';
export const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
export const TS_DEFLATED = '1.2.840.10008.1.2.1.99';
export const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';

export const NATIVE: ReadonlySet<string> = new Set([TS_IMPLICIT_LE, TS_EXPLICIT_LE, TS_DEFLATED, TS_EXPLICIT_BE]);

/** Null when the syntax can be read; else the per-file reason. */
export function checkSyntax(uid: string): string | null {
  if (NATIVE.has(uid) || isEncapsulatedSyntaxSupported(uid)) return null;
  return `unsupported transfer syntax ${uid} (${transferSyntaxName(uid)})`;
}
