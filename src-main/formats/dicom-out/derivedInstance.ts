// The modules every object Pulmo writes about a study shares (SOP common, patient, general study, general series,
// general equipment): one place, so the SR and the SEG can never disagree about who and what they describe.
import type { Naturalized } from './dcmjsIo';
import { dicomDate, dicomTime, type ReportInput } from '../reportInput';

export interface DerivedInstanceSpec {
  sopClassUID: string;
  modality: 'SR' | 'SEG';
  seriesNumber: string;
  /** Said of the read (or of unreviewed CAD output); left empty in de-identified exports. */
  seriesDescription: string;
}

export function derivedInstanceHeader(input: ReportInput, spec: DerivedInstanceSpec): Naturalized {
  const when = input.contentDateTime;
  return {
    SpecificCharacterSet: 'ISO_IR 192',
    SOPClassUID: spec.sopClassUID,
    SOPInstanceUID: input.newUIDs.instance,
    InstanceCreationDate: dicomDate(when),
    InstanceCreationTime: dicomTime(when),
    StudyDate: input.study.studyDate ?? '',
    StudyTime: input.study.studyTime ?? '',
    ContentDate: dicomDate(when),
    ContentTime: dicomTime(when),
    AccessionNumber: input.study.accessionNumber ?? '',
    Modality: spec.modality,
    Manufacturer: input.device.manufacturer,
    ReferringPhysicianName: '',
    StudyDescription: input.study.description ?? '',
    SeriesDescription: input.deidentified ? '' : spec.seriesDescription,
    ManufacturerModelName: input.device.name,
    SoftwareVersions: input.device.version,
    PatientName: input.patient.patientName,
    PatientID: input.patient.patientId,
    PatientBirthDate: input.patient.birthDate ?? '',
    PatientSex: input.patient.sex ?? '',
    StudyInstanceUID: input.study.studyInstanceUID,
    SeriesInstanceUID: input.newUIDs.series,
    StudyID: '',
    SeriesNumber: spec.seriesNumber,
    InstanceNumber: String(Math.max(1, input.read?.version ?? 1)),
  };
}
