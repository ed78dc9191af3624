// Errors thrown by the codecs. The import pipeline turns them into per-file error rows.
import { transferSyntaxName } from './transferSyntaxes';
import { errorMessage } from '../../shared/errorCodes';

/** The transfer syntax (or this variant of it) has no decoder in Pulmo. */
export class UnsupportedTransferSyntaxError extends Error {
  readonly uid: string;
  constructor(uid: string, detail?: string) {
    const base = `unsupported transfer syntax ${uid} (${transferSyntaxName(uid)})`;
    super(detail ? `${base}: ${detail}` : base);
    this.name = 'UnsupportedTransferSyntaxError';
    this.uid = uid;
  }
}

/** A compressed frame could not be decoded: corrupt or truncated stream, or it disagrees with the header. */
export class CodecError extends Error {
  readonly uid: string;
  constructor(uid: string, reason: string, options?: { cause?: unknown }) {
    super(`cannot decode ${transferSyntaxName(uid)} (${uid}) frame: ${reason}`, options);
    this.name = 'CodecError';
    this.uid = uid;
  }
}

/** Message of anything thrown, including the strings and numbers some WASM/JS codecs throw. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (typeof e === 'number') return `codec error code ${e}`;
  return errorMessage(e); // plain objects too: never "[object Object]"
}
