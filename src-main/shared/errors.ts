// Errors and results that cross the API boundary. Pure: imported by main and renderer alike.

export type ErrorKind =
  | 'validation' // a payload failed its schema; `field` names the path
  | 'not_found'
  | 'unsupported' // e.g. an unsupported transfer syntax or model input shape
  | 'io' // file system trouble: missing file, full disk, permissions
  | 'cancelled'
  | 'read_only' // database written by a newer Pulmo version
  | 'unauthorized'
  | 'internal';

export interface ApiErrorBody {
  kind: ErrorKind;
  message: string;
  /** Dotted path of the offending field for validation errors. */
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Thrown inside services; transports turn it into `{ok:false,error}`. */
export class ApiError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
  toBody(): ApiErrorBody {
    return this.field ? { kind: this.kind, message: this.message, field: this.field } : { kind: this.kind, message: this.message };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(kind: ErrorKind, message: string, field?: string): { ok: false; error: ApiErrorBody } {
  return { ok: false, error: field ? { kind, message, field } : { kind, message } };
}
