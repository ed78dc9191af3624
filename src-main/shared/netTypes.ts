// DICOM networking types shared by main and renderer: configured peers, the listener, query rows, receptions.
import { z } from 'zod';

/** AE title: 1-16 characters of the default repertoire, no backslash or control characters, not all spaces. */
export const aeTitle = z
  .string()
  .max(16)
  .regex(/^[\x20-\x5b\x5d-\x7e]{1,16}$/, 'must be an AE title (1-16 printable characters, no backslash)')
  .refine((s) => s.trim().length > 0, 'must not be blank')
  .transform((s) => s.trim());

export const nodeName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be a node name (letters, digits, _ . -)');
const host = z.string().min(1).max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address');
const port = z.number().int().min(1).max(65535);

export const dicomOps = ['echo', 'find', 'move', 'get', 'store'] as const;
export type DicomOp = (typeof dicomOps)[number];

export const dimseNodeSchema = z
  .object({
    name: nodeName,
    kind: z.literal('dimse'),
    aet: aeTitle,
    host,
    port,
    tls: z.boolean().default(false),
    /** What Pulmo may ask of this peer; the listener also accepts associations from its AE title only if 'store' is in it. */
    ops: z.array(z.enum(dicomOps)).default(['echo', 'find', 'move', 'get', 'store']),
  })
  .strict();

export const dicomWebNodeSchema = z
  .object({
    name: nodeName,
    kind: z.literal('dicomweb'),
    baseUrl: z.string().url().max(2048).regex(/^https?:\/\//, 'must be an http(s) URL'),
    /** Sent as the Authorization header (e.g. "Basic …" or "Bearer …"); stored in the case database. */
    authHeader: z.string().max(4096).optional(),
  })
  .strict();

export const nodeSchema = z.discriminatedUnion('kind', [dimseNodeSchema, dicomWebNodeSchema]);
export type DimseNode = z.output<typeof dimseNodeSchema>;
export type DicomWebNode = z.output<typeof dicomWebNodeSchema>;
export type DicomNode = z.output<typeof nodeSchema>;

export const listenerSettingsSchema = z
  .object({
    /** Pulmo's own AE title, used as calling AE for SCU work and the called AE the listener answers to. */
    aet: aeTitle,
    enabled: z.boolean(),
    port,
    /** Loopback by default: the listener is reachable from other machines only when the user says so. */
    bind: z.string().min(1).max(64).regex(/^[0-9a-fA-F.:]+$/, 'must be an IP address'),
    /** Calling AE titles accepted besides the configured nodes that allow 'store'. */
    allowedCallers: z.array(aeTitle).max(100),
  })
  .strict();
export type ListenerSettings = z.output<typeof listenerSettingsSchema>;

export const defaultListenerSettings: ListenerSettings = { aet: 'PULMO', enabled: false, port: 11112, bind: '127.0.0.1', allowedCallers: [] };

export interface ListenerStatus {
  settings: ListenerSettings;
  running: boolean;
  address: string | null;
  error: string | null;
}

export type QueryLevel = 'study' | 'series';

const queryDate = z.string().regex(/^\d{8}$/, 'must be a date as YYYYMMDD');

export const queryFiltersSchema = z
  .object({
    patientId: z.string().max(64).optional(),
    patientName: z.string().max(64).optional(),
    dateFrom: queryDate.optional(),
    dateTo: queryDate.optional(),
    modality: z.string().regex(/^[A-Z0-9]{1,16}$/, 'must be a modality such as CT').optional(),
    accessionNumber: z.string().max(16).optional(),
    studyInstanceUID: z.string().regex(/^[0-9.]{1,64}$/, 'must be a DICOM UID').optional(),
  })
  .strict();
export type QueryFilters = z.output<typeof queryFiltersSchema>;


/** One C-FIND / QIDO-RS match, attribute names as DICOM keywords; missing attributes are empty strings. */
export interface QueryRow {
  level: QueryLevel;
  patientId: string;
  patientName: string;
  studyInstanceUID: string;
  studyDate: string;
  studyDescription: string;
  accessionNumber: string;
  modalities: string;
  seriesInstanceUID: string;
  seriesDescription: string;
  seriesNumber: string;
  numberOfInstances: number | null;
}

export interface EchoResult {
  node: string;
  ok: boolean;
  ms: number;
  message: string;
}

export type ReceptionState = 'receiving' | 'complete' | 'aborted' | 'rejected';

/** One incoming association of the listener. */
export interface Reception {
  id: string;
  callingAet: string;
  remote: string;
  state: ReceptionState;
  instances: number;
  failed: number;
  bytes: number;
  startedAt: string;
  finishedAt: string | null;
  jobId: string | null;
  message: string | null;
  /** Series this association delivered that are still incomplete (the last association delivering them aborted). */
  incompleteSeries: string[];
}

export interface SendResult {
  node: string;
  sent: number;
  failed: { file: string; reason: string }[];
}
