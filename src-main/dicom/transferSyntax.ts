// Which transfer syntaxes the import reads: the native ones directly, the encapsulated ones through the codecs.
// The syntaxes themselves (UIDs, names, codecs) are one table: codecs/transferSyntaxes.ts.
import { TS, isEncapsulatedSyntaxSupported, transferSyntaxName } from './codecs/transferSyntaxes';

export const NATIVE: ReadonlySet<string> = new Set([TS.implicitLittle, TS.explicitLittle, TS.deflatedExplicitLittle, TS.explicitBig]);

/** Null when the syntax can be read; else the per-file reason. */
export function checkSyntax(uid: string): string | null {
  if (NATIVE.has(uid) || isEncapsulatedSyntaxSupported(uid)) return null;
  return `unsupported transfer syntax ${uid} (${transferSyntaxName(uid)})`;
}
