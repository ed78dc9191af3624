// DICOM Comprehensive 3D SR, TID 1500 Measurement Report, of one read (or of unreviewed CAD output): observer
// context (reader, device), image library, one measurement group per nodule (TID 1411-style volumetric ROI:
// tracking identifier + UID, finding, site/laterality, SCOORD3D centre in the frame of reference, source image,
// diameter, long/short axis, volume, mean HU, composition, Lung-RADS, Brock, cancer-type probabilities with the
// model, reader decision), then the exam conclusion. Pure: ReportInput → Part 10 bytes (dcmjs writes them).
import { deidentificationAttributes } from '../deidentify';
import { writePart10, type Naturalized } from '../dicom-out/dcmjsIo';
import { derivedInstanceHeader } from '../dicom-out/derivedInstance';
import { C, PRIVATE_SCHEME, code, decisionCode, typeCode, type Code } from '../dicom-out/codes';
import { RESEARCH_NOTICE, type ReportInput, type ReportNodule } from '../reportInput';
import { ijkToLps, lpsToIjk } from '../../shared/geometry';
import { REJECT_REASON_TEXT } from '../../shared/readTypes';

export const COMPREHENSIVE_3D_SR = '1.2.840.10008.5.1.4.1.1.88.34';

type Item = Naturalized;
const concept = (c: Code): Naturalized => ({ ConceptNameCodeSequence: [c] });
const container = (rel: string, c: Code, children: Item[], template?: string): Item => ({
  RelationshipType: rel,
  ValueType: 'CONTAINER',
  ...concept(c),
  ContinuityOfContent: 'SEPARATE',
  ...(template ? { ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: template }] } : {}),
  ContentSequence: children,
});
const codeItem = (rel: string, c: Code, v: Code, children?: Item[]): Item => ({ RelationshipType: rel, ValueType: 'CODE', ...concept(c), ConceptCodeSequence: [v], ...(children ? { ContentSequence: children } : {}) });
const text = (rel: string, c: Code, v: string): Item => ({ RelationshipType: rel, ValueType: 'TEXT', ...concept(c), TextValue: v });
const uidref = (rel: string, c: Code, v: string): Item => ({ RelationshipType: rel, ValueType: 'UIDREF', ...concept(c), UID: v });
const pname = (rel: string, c: Code, v: string): Item => ({ RelationshipType: rel, ValueType: 'PNAME', ...concept(c), PersonName: v });
function num(c: Code, value: number, unit: Code, children?: Item[]): Item {
  return {
    RelationshipType: 'CONTAINS',
    ValueType: 'NUM',
    ...concept(c),
    MeasuredValueSequence: [{ NumericValue: String(Number(value.toPrecision(10))), MeasurementUnitsCodeSequence: [unit] }],
    ...(children ? { ContentSequence: children } : {}),
  };
}
const image = (rel: string, c: Code | null, s: { sopClassUID: string; sopInstanceUID: string }): Item => ({
  RelationshipType: rel,
  ValueType: 'IMAGE',
  ...(c ? concept(c) : {}),
  ReferencedSOPSequence: [{ ReferencedSOPClassUID: s.sopClassUID, ReferencedSOPInstanceUID: s.sopInstanceUID }],
});

/** The acquired image nearest the nodule centre (by slice index), if the volume's slices are acquired images. */
export function sourceSliceOf(input: ReportInput, n: ReportNodule): ReportInput['slices'][number] | null {
  if (!input.slices.length) return null;
  const k = Math.round(lpsToIjk(input.geometry, n.finding.centerLPS)[2]);
  return input.slices.find((s) => s.k === k) ?? null;
}

function measurementGroup(input: ReportInput, n: ReportNodule): Item {
  const f = n.finding;
  const items: Item[] = [
    text('HAS OBS CONTEXT', C.trackingIdentifier, f.label),
    uidref('HAS OBS CONTEXT', C.trackingUID, n.trackingUID),
    codeItem('CONTAINS', C.finding, C.nodule),
  ];
  // LPS: +x is the patient's left; the midline is taken as the centre of the volume's x extent.
  const g = input.geometry;
  const side = f.centerLPS[0] > ijkToLps(g, [(g.dims[0] - 1) / 2, (g.dims[1] - 1) / 2, 0])[0] ? C.left : C.right;
  items.push(codeItem('HAS CONCEPT MOD', C.findingSite, C.lung, [codeItem('HAS CONCEPT MOD', C.laterality, side)]));
  const src = sourceSliceOf(input, n);
  if (input.series.frameOfReferenceUID) {
    items.push({
      RelationshipType: 'CONTAINS',
      ValueType: 'SCOORD3D',
      ...concept(C.imageRegion),
      GraphicType: 'POINT',
      GraphicData: f.centerLPS.map((x) => Number(x.toFixed(3))),
      ReferencedFrameOfReferenceUID: input.series.frameOfReferenceUID,
    });
  }
  if (src) items.push(image('CONTAINS', C.sourceOfMeasurement, src));
  const alg = f.modelId ? [text('HAS CONCEPT MOD', C.algorithmName, f.modelId), text('HAS CONCEPT MOD', C.algorithmVersion, f.modelVersion ?? 'unknown')] : undefined;
  if (f.diameterMm !== null) items.push(num(C.diameter, f.diameterMm, C.mm, alg));
  if (f.longAxisMm !== null) items.push(num(C.longAxis, f.longAxisMm, C.mm));
  if (f.shortAxisMm !== null) items.push(num(C.shortAxis, f.shortAxisMm, C.mm));
  if (f.volumeMm3 !== null) items.push(num(C.volume, f.volumeMm3, C.mm3));
  if (f.meanHU !== null) items.push(num(C.attenuation, f.meanHU, C.hu, [codeItem('HAS CONCEPT MOD', C.derivation, C.mean)]));
  if (f.type) items.push(codeItem('CONTAINS', C.noduleType, typeCode(f.type)));
  if (f.lungRads) items.push(codeItem('CONTAINS', C.lungRads, code(`LR-${f.lungRads}`, PRIVATE_SCHEME, `Lung-RADS ${f.lungRads}`)));
  if (f.brock !== null) items.push(num(C.brock, f.brock * 100, C.percent));
  if (f.classProbs && f.classModel) {
    const model = [text('HAS CONCEPT MOD', C.algorithmName, f.classModel.id), text('HAS CONCEPT MOD', C.algorithmVersion, f.classModel.version)];
    items.push(num(C.probBenign, f.classProbs.benign * 100, C.percent, model));
    items.push(num(C.probAC, f.classProbs.AC * 100, C.percent, model));
    items.push(num(C.probSCC, f.classProbs.SCC * 100, C.percent, model));
  }
  items.push(codeItem('CONTAINS', C.readerDecision, decisionCode(n.decision)));
  if (n.rejectReason) items.push(text('CONTAINS', C.rejectReason, `${REJECT_REASON_TEXT[n.rejectReason]}${n.rejectText ? `: ${n.rejectText}` : ''}`));
  return container('CONTAINS', C.measurementGroup, items, '1411');
}

export function writeTid1500(input: ReportInput): Buffer {
  const observer: Item[] = [];
  if (input.read) {
    observer.push(codeItem('HAS OBS CONTEXT', C.observerType, C.person));
    observer.push(pname('HAS OBS CONTEXT', C.personObserverName, input.read.reader.name));
  }
  observer.push(codeItem('HAS OBS CONTEXT', C.observerType, C.device));
  observer.push(uidref('HAS OBS CONTEXT', C.deviceObserverUID, input.device.deviceUID));
  observer.push(text('HAS OBS CONTEXT', C.deviceObserverName, `${input.device.name} ${input.device.version}`));
  observer.push(text('HAS OBS CONTEXT', C.deviceObserverManufacturer, input.device.manufacturer));
  observer.push(text('HAS OBS CONTEXT', C.deviceObserverModelName, [`${input.device.name} ${input.device.version}`, ...input.device.models.map((m) => `${m.id} ${m.version}`)].join('; ')));

  const referenced = new Map<string, { sopClassUID: string; sopInstanceUID: string }>();
  for (const n of input.nodules) {
    const s = sourceSliceOf(input, n);
    if (s) referenced.set(s.sopInstanceUID, s);
  }
  const library = container('CONTAINS', C.imageLibrary, [container('CONTAINS', C.imageLibraryGroup, [...referenced.values()].map((s) => image('CONTAINS', null, s)))]);
  const measurements = container('CONTAINS', C.imagingMeasurements, input.nodules.map((n) => measurementGroup(input, n)));
  const qual: Item[] = [];
  const c = input.conclusion;
  if (input.read) qual.push(text('CONTAINS', C.readingMode, input.read.mode));
  else qual.push(text('CONTAINS', C.readingMode, 'not reviewed: CAD output at the run operating point'));
  if (c?.category) {
    qual.push(codeItem('CONTAINS', C.examLungRads, code(`LR-${c.category}`, PRIVATE_SCHEME, `Lung-RADS ${c.category}`)));
    qual.push(codeItem('CONTAINS', C.sModifier, code(c.sModifier ? 'Y' : 'N', PRIVATE_SCHEME, c.sModifier ? 'S modifier present' : 'S modifier absent')));
    if (c.sModifier && c.sText) qual.push(text('CONTAINS', C.sModifier, c.sText));
    qual.push(text('CONTAINS', C.recommendation, c.recommendation));
  }
  if (c?.impression) qual.push(text('CONTAINS', C.impression, c.impression));
  qual.push(text('CONTAINS', C.impression, RESEARCH_NOTICE));

  const root: Item = {
    ValueType: 'CONTAINER',
    ...concept(C.imagingMeasurementReport),
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: [
      codeItem('HAS CONCEPT MOD', C.languageOfContent, C.englishUS),
      ...observer,
      codeItem('HAS CONCEPT MOD', C.procedureReported, C.ctChest),
      library,
      measurements,
      container('CONTAINS', C.qualitativeEvaluations, qual),
    ],
  };
  const { ValueType, ConceptNameCodeSequence, ContinuityOfContent, ContentTemplateSequence, ContentSequence } = root;
  const ds: Naturalized = {
    ...derivedInstanceHeader(input, {
      sopClassUID: COMPREHENSIVE_3D_SR,
      modality: 'SR',
      seriesNumber: '9100',
      seriesDescription: input.read ? `Pulmo lung nodule read v${input.read.version}` : 'Pulmo CAD findings (not reviewed)',
    }),
    ValueType,
    ConceptNameCodeSequence,
    ContinuityOfContent,
    ContentTemplateSequence,
    CompletionFlag: input.read && input.read.signedAt ? 'COMPLETE' : 'PARTIAL',
    VerificationFlag: 'UNVERIFIED',
    ReferencedPerformedProcedureStepSequence: [],
    PerformedProcedureCodeSequence: [C.ctChest],
    CurrentRequestedProcedureEvidenceSequence: [
      {
        StudyInstanceUID: input.study.studyInstanceUID,
        ReferencedSeriesSequence: [
          {
            SeriesInstanceUID: input.series.seriesInstanceUID,
            ReferencedSOPSequence: [...referenced.values()].map((s) => ({ ReferencedSOPClassUID: s.sopClassUID, ReferencedSOPInstanceUID: s.sopInstanceUID })),
          },
        ],
      },
    ],
    CodingSchemeIdentificationSequence: [{ CodingSchemeDesignator: PRIVATE_SCHEME, CodingSchemeName: 'Pulmo private codes', CodingSchemeResponsibleOrganization: 'Pulmo developers' }],
    ContentSequence,
    ...deidentificationAttributes(input),
  };
  // Evidence must list at least one instance; without acquired slices (resampled volume) name the series only.
  const ev = (ds.CurrentRequestedProcedureEvidenceSequence as Naturalized[])[0].ReferencedSeriesSequence as Naturalized[];
  if (!(ev[0].ReferencedSOPSequence as unknown[]).length) delete ds.CurrentRequestedProcedureEvidenceSequence;
  return writePart10(ds);
}
