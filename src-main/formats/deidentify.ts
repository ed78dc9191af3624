// De-identification of a report before it is written (PS3.15 Annex E, Basic Application Level Confidentiality
// Profile, with the Clean Structured Content option): patient and study identifiers emptied or replaced, UIDs
// replaced consistently (a keyed hash, so SR and SEG of the same series still reference each other), the reader's
// name and free text removed from the content. Pure: ReportInput → ReportInput.
import crypto from 'node:crypto';
import type { ReportInput } from './reportInput';

/** A replacement UID under 2.25 from a keyed hash of the original (stable per data folder key). */
export function remapUid(uid: string, key: string): string {
  const h = crypto.createHmac('sha256', key).update(uid).digest();
  return `2.25.${BigInt('0x' + h.subarray(0, 16).toString('hex')).toString()}`;
}

export function deidentifyReport(input: ReportInput, key: string): ReportInput {
  const u = (x: string): string => remapUid(x, key);
  const pseudoId = 'PULMO-' + u(input.patient.patientId + '|' + input.patient.patientName).slice(-12);
  return {
    ...input,
    patient: { patientId: pseudoId, patientName: 'ANONYMOUS', birthDate: null, sex: null },
    study: { studyInstanceUID: u(input.study.studyInstanceUID), studyDate: null, studyTime: null, accessionNumber: null, description: null },
    series: { ...input.series, seriesInstanceUID: u(input.series.seriesInstanceUID), frameOfReferenceUID: input.series.frameOfReferenceUID ? u(input.series.frameOfReferenceUID) : null, description: null },
    slices: input.slices.map((s) => ({ ...s, sopInstanceUID: u(s.sopInstanceUID) })),
    read: input.read ? { ...input.read, reader: { name: 'ANONYMOUS', role: input.read.reader.role, osUser: '' } } : null,
    nodules: input.nodules.map((n) => ({ ...n, rejectText: null, finding: { ...n.finding, seriesInstanceUID: u(n.finding.seriesInstanceUID) }, trackingUID: u(n.trackingUID) })),
    conclusion: input.conclusion ? { ...input.conclusion, impression: '', sText: '' } : null,
    newUIDs: { series: u(input.newUIDs.series), instance: u(input.newUIDs.instance) },
    // Device Serial Number (SEG, Type 1) and Device Observer UID: replaced by a dummy (D).
    device: { ...input.device, deviceUID: u(input.device.deviceUID) },
    // Dates are emptied (Z) where DICOM allows; the content date/time, Type 1, becomes a dummy (D).
    contentDateTime: new Date('1900-01-01T00:00:00Z'),
    deidentified: true,
  };
}

/** The attributes that say how a de-identified object was de-identified (PS3.3 C.7.1.1). */
export function deidentificationAttributes(input: ReportInput): Record<string, unknown> {
  if (!input.deidentified) return {};
  return {
    PatientIdentityRemoved: 'YES',
    DeidentificationMethod: ['PS3.15 Basic Profile', 'Clean Structured Content Option', 'Pulmo'],
    DeidentificationMethodCodeSequence: [
      { CodeValue: '113100', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Basic Application Confidentiality Profile' },
      { CodeValue: '113104', CodingSchemeDesignator: 'DCM', CodeMeaning: 'Clean Structured Content Option' },
    ],
  };
}
