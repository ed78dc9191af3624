// Reads a TID 1500 Measurement Report (Pulmo's own or another tool's) into plain nodules: tracking identifier and
// UID, SCOORD3D point (or the centroid of a SCOORD3D region) in its frame of reference, measurements and the
// reader decision where Pulmo's codes carry one. Pure: bytes → parsed report, or an error saying what is wrong.
import { readPart10, type Naturalized } from '../dicom-out/dcmjsIo';
import type { Vec3 } from '../../shared/geometry';

export class SrReadError extends Error {}

export interface SrNodule {
  trackingId: string;
  trackingUID: string | null;
  centerLPS: Vec3;
  frameOfReferenceUID: string;
  diameterMm: number | null;
  longAxisMm: number | null;
  shortAxisMm: number | null;
  volumeMm3: number | null;
  meanHU: number | null;
  type: string | null;
  lungRads: string | null;
  decision: string | null;
}

export interface SrReport {
  sopInstanceUID: string;
  studyInstanceUID: string;
  /** Series the evidence (and image references) point to. */
  referencedSeries: string[];
  referencedInstances: string[];
  observer: string;
  nodules: SrNodule[];
}

type Item = Naturalized & { ContentSequence?: Item[] };
const arr = <T>(v: unknown): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as T[]) : [v as T]);
const codeOf = (i: Item, key = 'ConceptNameCodeSequence'): { CodeValue?: string; CodingSchemeDesignator?: string; CodeMeaning?: string } => arr<Record<string, string>>(i[key])[0] ?? {};
const is = (i: Item, value: string, scheme: string): boolean => codeOf(i).CodeValue === value && codeOf(i).CodingSchemeDesignator === scheme;
const children = (i: Item): Item[] => arr<Item>(i.ContentSequence);

function numValue(i: Item): number | null {
  const mv = arr<Record<string, unknown>>(i.MeasuredValueSequence)[0];
  const v = mv ? Number(mv.NumericValue) : NaN;
  return Number.isFinite(v) ? v : null;
}

function walk(items: Item[], f: (i: Item) => void): void {
  for (const i of items) {
    f(i);
    walk(children(i), f);
  }
}

function readGroup(g: Item): SrNodule | null {
  const n: Partial<SrNodule> = { diameterMm: null, longAxisMm: null, shortAxisMm: null, volumeMm3: null, meanHU: null, type: null, lungRads: null, decision: null, trackingUID: null };
  for (const c of children(g)) {
    if (is(c, '112039', 'DCM')) n.trackingId = String(c.TextValue ?? '');
    else if (is(c, '112040', 'DCM')) n.trackingUID = String(c.UID ?? '');
    else if (c.ValueType === 'SCOORD3D') {
      const d = arr<number>(c.GraphicData).map(Number);
      if (d.length < 3 || d.length % 3 !== 0 || d.some((x) => !Number.isFinite(x))) throw new SrReadError(`SCOORD3D of ${n.trackingId ?? 'a measurement group'} has malformed GraphicData`);
      const m = d.length / 3;
      n.centerLPS = [0, 1, 2].map((a) => d.filter((_, q) => q % 3 === a).reduce((s, x) => s + x, 0) / m) as Vec3;
      n.frameOfReferenceUID = String(c.ReferencedFrameOfReferenceUID ?? '');
    } else if (is(c, '81827009', 'SCT')) n.diameterMm = numValue(c);
    else if (is(c, '103339001', 'SCT')) n.longAxisMm = numValue(c);
    else if (is(c, '103340004', 'SCT')) n.shortAxisMm = numValue(c);
    else if (is(c, '118565006', 'SCT')) n.volumeMm3 = numValue(c);
    else if (is(c, '112031', 'DCM')) n.meanHU = numValue(c);
    else if (is(c, 'NODTYPE', '99PULMO')) n.type = codeOf(c, 'ConceptCodeSequence').CodeMeaning ?? null;
    else if (is(c, 'LUNGRADS', '99PULMO')) n.lungRads = (codeOf(c, 'ConceptCodeSequence').CodeValue ?? '').replace(/^LR-/, '') || null;
    else if (is(c, 'DECISION', '99PULMO')) n.decision = codeOf(c, 'ConceptCodeSequence').CodeMeaning ?? null;
  }
  if (!n.centerLPS) return null; // a group without a spatial coordinate cannot be placed on the images
  return { trackingId: n.trackingId || 'SR nodule', ...n } as SrNodule;
}

export function readTid1500(bytes: Buffer): SrReport {
  let ds: Naturalized;
  try {
    ds = readPart10(bytes);
  } catch (err) {
    throw new SrReadError(`not a readable DICOM file (${(err as Error).message})`);
  }
  const sopClass = String(ds.SOPClassUID ?? '');
  if (!sopClass.startsWith('1.2.840.10008.5.1.4.1.1.88.')) throw new SrReadError(`not a Structured Report (SOP Class ${sopClass || 'missing'})`);
  const root = ds as Item;
  if (!is(root, '126000', 'DCM')) throw new SrReadError(`not a TID 1500 Measurement Report (document title ${codeOf(root).CodeMeaning ?? 'missing'})`);
  const series = new Set<string>();
  const instances = new Set<string>();
  for (const st of arr<Naturalized>(ds.CurrentRequestedProcedureEvidenceSequence))
    for (const se of arr<Naturalized>(st.ReferencedSeriesSequence)) {
      if (se.SeriesInstanceUID) series.add(String(se.SeriesInstanceUID));
      for (const s of arr<Naturalized>(se.ReferencedSOPSequence)) instances.add(String(s.ReferencedSOPInstanceUID));
    }
  let observer = '';
  const nodules: SrNodule[] = [];
  walk(children(root), (i) => {
    if (is(i, '121008', 'DCM') && !observer) {
      const pn = i.PersonName as unknown;
      observer = typeof pn === 'string' ? pn : String(arr<{ Alphabetic?: string }>(pn)[0]?.Alphabetic ?? '');
    }
    if (i.ValueType === 'IMAGE') for (const s of arr<Naturalized>(i.ReferencedSOPSequence)) instances.add(String(s.ReferencedSOPInstanceUID));
    if (is(i, '125007', 'DCM')) {
      const n = readGroup(i);
      if (n) nodules.push(n);
    }
  });
  if (!nodules.length) throw new SrReadError('the report has no measurement group with a SCOORD3D position');
  return { sopInstanceUID: String(ds.SOPInstanceUID ?? ''), studyInstanceUID: String(ds.StudyInstanceUID ?? ''), referencedSeries: [...series], referencedInstances: [...instances], observer, nodules };
}
