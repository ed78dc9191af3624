// The one API contract. Both transports (Electron IPC and loopback HTTP) dispatch these methods to the same
// service implementation, validating every argument with the zod schema declared here.
import { z } from 'zod';
import type { CadRunSummary, ExamLungRads, ModelInfo, ModelList } from './cadTypes';
import type { AuditEntry, Read, ReaderProfile, ReadingMode, ReadVersion, ReportFile } from './readTypes';
import { REJECT_REASONS } from './readTypes';
import type {
  AppInfo,
  CaseDetail,
  CaseList,
  Finding,
  JobStatus,
  Measurement,
} from './types';
import { listenerSettingsSchema, nodeName, nodeSchema, queryFiltersSchema, type DicomNode, type EchoResult, type ListenerStatus, type QueryRow, type Reception } from './netTypes';

const uid = z.string().regex(/^[0-9.]{1,64}$/, 'must be a DICOM UID (digits and dots, at most 64)');
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be an id (letters, digits, _ or -)');
const vec3 = z.tuple([z.number().finite(), z.number().finite(), z.number().finite()]);
const nodeRef = z.string().min(1).max(300);
const dicomDate = z.string().regex(/^\d{8}$/, 'must be a date as YYYYMMDD');

export const schemas = {
  'app.info': z.object({}).strict(),
  'cases.list': z
    .object({
      text: z.string().max(200).optional(),
      modality: z.string().max(16).optional(),
      dateFrom: dicomDate.optional(),
      dateTo: dicomDate.optional(),
      unread: z.boolean().optional(),
      sort: z.enum(['studyDate', 'patientName', 'patientId', 'importedAt']).default('importedAt'),
      order: z.enum(['asc', 'desc']).default('desc'),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    })
    .strict(),
  'cases.open': z.object({ seriesInstanceUID: uid, volumeId: id.optional() }).strict(),
  'import.start': z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict(),
  'jobs.get': z.object({ jobId: id }).strict(),
  'jobs.list': z.object({}).strict(),
  'jobs.cancel': z.object({ jobId: id }).strict(),
  'sample.open': z.object({}).strict(),
  'findings.list': z.object({ seriesInstanceUID: uid, source: z.enum(['cad', 'reader', 'reference']).optional() }).strict(),
  'measurements.add': z
    .object({ seriesInstanceUID: uid, kind: z.literal('length'), pointsLPS: z.tuple([vec3, vec3]), label: z.string().max(200).optional() })
    .strict(),
  'measurements.list': z.object({ seriesInstanceUID: uid }).strict(),
  'measurements.delete': z.object({ id }).strict(),
  'cad.run': z
    .object({
      seriesInstanceUID: uid,
      volumeId: id.optional(),
      models: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a model id')).min(1).max(8).optional(),
      provider: z.string().regex(/^[a-z]{2,16}$/, 'must be an execution provider name such as cpu or webgpu').optional(),
    })
    .strict(),
  'cad.runs': z.object({ seriesInstanceUID: uid }).strict(),
  'models.list': z.object({}).strict(),
  'models.add': z.object({ dir: z.string().min(1).max(4096) }).strict(),
  'cad.examLungRads': z.object({ seriesInstanceUID: uid, minScore: z.number().min(0).max(1).default(0) }).strict(),
  'findings.setBrockInputs': z
    .object({
      findingId: id,
      familyHistory: z.boolean(),
      emphysema: z.boolean(),
      spiculation: z.boolean(),
      upperLobe: z.boolean().optional(),
      noduleCount: z.number().int().min(1).max(100).optional(),
      /** Only where DICOM has neither PatientAge nor a birth date (resp. no PatientSex); audited. */
      ageYears: z.number().int().min(18).max(110).optional(),
      sex: z.enum(['M', 'F']).optional(),
    })
    .strict(),
  // DICOM networking (src-main/services/net): `node` is a configured node's name or AET@host:port.
  'dicom.nodes.list': z.object({}).strict(),
  'dicom.nodes.save': nodeSchema,
  'dicom.nodes.delete': z.object({ name: nodeName }).strict(),
  'dicom.echo': z.object({ node: nodeRef }).strict(),
  'dicom.find': z.object({ node: nodeRef, level: z.enum(['study', 'series']).default('study'), filters: queryFiltersSchema.default({}) }).strict(),
  'dicom.retrieve': z.object({ node: nodeRef, studyInstanceUID: uid, seriesInstanceUID: uid.optional(), via: z.enum(['move', 'get', 'wado']).optional() }).strict(),
  'dicom.send': z
    .object({ node: nodeRef, paths: z.array(z.string().min(1).max(4096)).max(10000).optional(), seriesInstanceUID: uid.optional() })
    .strict(),
  'dicom.listener.get': z.object({}).strict(),
  'dicom.listener.set': listenerSettingsSchema,
  'dicom.receptions': z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
  // The second read (issue 11): reader profile, site reading mode, triage, conclusion, sign-off, audit, reports.
  'reader.get': z.object({}).strict(),
  'reader.set': z.object({ name: z.string().trim().min(1).max(64), role: z.string().trim().min(1).max(64) }).strict(),
  'settings.get': z.object({}).strict(),
  'settings.set': z.object({ readingMode: z.enum(['second-reader', 'concurrent']) }).strict(),
  'reads.get': z.object({ seriesInstanceUID: uid }).strict(),
  'reads.layers': z.object({ seriesInstanceUID: uid }).strict(),
  'reads.start': z
    .object({ seriesInstanceUID: uid, mode: z.enum(['second-reader', 'concurrent']).optional(), minScore: z.number().min(0).max(1).optional() })
    .strict(),
  'reads.firstReadDone': z.object({ readId: id }).strict(),
  'reads.accept': z.object({ readId: id, findingId: id }).strict(),
  'reads.reject': z
    .object({ readId: id, findingId: id, reason: z.enum(REJECT_REASONS), text: z.string().max(500).optional() })
    .strict()
    .refine((v) => v.reason !== 'other' || (v.text ?? '').trim().length > 0, { message: 'a rejection for "other" needs a text', path: ['text'] }),
  'reads.edit': z
    .object({
      readId: id,
      findingId: id,
      centerLPS: vec3.optional(),
      seedLPS: vec3.optional(),
      diameterMm: z.number().min(1).max(100).optional(),
      type: z.enum(['solid', 'part-solid', 'ground-glass']).optional(),
    })
    .strict(),
  'reads.add': z.object({ readId: id, seedLPS: vec3 }).strict(),
  'reads.setConclusion': z
    .object({ readId: id, sModifier: z.boolean(), sText: z.string().max(500).default(''), impression: z.string().max(4000).default('') })
    .strict(),
  'reads.sign': z.object({ readId: id }).strict(),
  'reads.startAddendum': z.object({ readId: id, reason: z.string().trim().min(1).max(500) }).strict(),
  'reads.versions': z.object({ readId: id }).strict(),
  'reads.importSr': z.object({ path: z.string().min(1).max(4096) }).strict(),
  'audit.list': z.object({ seriesInstanceUID: uid.optional() }).strict(),
  'audit.exportCsv': z.object({ seriesInstanceUID: uid.optional() }).strict(),
  'reports.export': z
    .object({
      seriesInstanceUID: uid,
      format: z.enum(['sr', 'seg', 'pdf', 'csv']),
      includeUnreviewed: z.boolean().default(false),
      deidentify: z.boolean().default(false),
    })
    .strict(),
} as const;

export type MethodName = keyof typeof schemas;
export type Input<M extends MethodName> = z.input<(typeof schemas)[M]>;
export type ParsedInput<M extends MethodName> = z.output<(typeof schemas)[M]>;

export interface Outputs {
  'app.info': AppInfo;
  'cases.list': CaseList;
  'cases.open': CaseDetail;
  'import.start': { jobId: string };
  'jobs.get': JobStatus;
  'jobs.list': JobStatus[];
  'jobs.cancel': { cancelled: boolean };
  'sample.open': { jobId: string | null; seriesInstanceUID: string };
  'findings.list': Finding[];
  'measurements.add': Measurement;
  'measurements.list': Measurement[];
  'measurements.delete': { deleted: boolean };
  'cad.run': { jobId: string };
  'cad.runs': CadRunSummary[];
  'models.list': ModelList;
  'models.add': ModelInfo;
  'cad.examLungRads': ExamLungRads;
  'findings.setBrockInputs': Finding;
  'dicom.nodes.list': DicomNode[];
  'dicom.nodes.save': DicomNode;
  'dicom.nodes.delete': { deleted: boolean };
  'dicom.echo': EchoResult;
  'dicom.find': QueryRow[];
  'dicom.retrieve': { jobId: string };
  'dicom.send': { jobId: string };
  'dicom.listener.get': ListenerStatus;
  'dicom.listener.set': ListenerStatus;
  'dicom.receptions': Reception[];
  'reader.get': ReaderProfile | null;
  'reader.set': ReaderProfile;
  'settings.get': { readingMode: ReadingMode };
  'settings.set': { readingMode: ReadingMode };
  'reads.get': Read | null;
  'reads.layers': Read[];
  'reads.start': Read;
  'reads.firstReadDone': Read;
  'reads.accept': Read;
  'reads.reject': Read;
  'reads.edit': Read;
  'reads.add': Read;
  'reads.setConclusion': Read;
  'reads.sign': Read;
  'reads.startAddendum': Read;
  'reads.versions': ReadVersion[];
  'reads.importSr': Read;
  'audit.list': AuditEntry[];
  'audit.exportCsv': ReportFile;
  'reports.export': ReportFile;
}

export type Output<M extends MethodName> = Outputs[M];

export const methodNames = Object.keys(schemas) as MethodName[];

/** Events pushed from main to the renderer (IPC `pulmo:event`, HTTP server-sent events). */
export interface Events {
  'job.progress': JobStatus;
  'cases.changed': { reason: string };
  /** Desktop menu commands the renderer handles (Help → About). */
  menu: { action: 'about' };
}
export type EventName = keyof Events;

/** Bulk voxel data never goes through the method channel: it is fetched from this path. */
export function volumePath(volumeId: string): string {
  return `/volume/${encodeURIComponent(volumeId)}`;
}
