// Write side of patients and studies: upserts keyed by (patient id, name) and StudyInstanceUID.
import type { Db } from './db';
import type { PatientInfo, StudyInfo } from '../shared/types';

/** A study as the index stores it (the DICOM header's study fields). */
export interface StudyRowInput extends StudyInfo {
  studyTime: string | null;
  /** PatientAge (0010,1010) as recorded for this study, DICOM AS ('077Y'); null when absent. */
  patientAge?: string | null;
}

export function upsertPatient(db: Db, p: PatientInfo): number {
  db.prepare(
    `INSERT INTO patients (patient_id, patient_name, birth_date, sex) VALUES (@patientId, @patientName, @birthDate, @sex)
     ON CONFLICT (patient_id, patient_name) DO UPDATE SET birth_date = COALESCE(excluded.birth_date, birth_date), sex = COALESCE(excluded.sex, sex)`,
  ).run(p);
  return (db.prepare('SELECT id FROM patients WHERE patient_id = ? AND patient_name = ?').get(p.patientId, p.patientName) as { id: number }).id;
}

/** Returns the study row id; a study already indexed keeps its patient and import time. */
export function upsertStudy(db: Db, patientRef: number, s: StudyRowInput, importedAt: string): number {
  db.prepare(
    `INSERT INTO studies (study_uid, patient_ref, study_date, study_time, description, accession_number, patient_age, imported_at)
     VALUES (@uid, @patientRef, @date, @time, @description, @accession, @patientAge, @importedAt)
     ON CONFLICT (study_uid) DO UPDATE SET study_date = COALESCE(study_date, excluded.study_date),
       patient_age = COALESCE(patient_age, excluded.patient_age),
       study_time = COALESCE(study_time, excluded.study_time), description = COALESCE(description, excluded.description),
       accession_number = COALESCE(accession_number, excluded.accession_number)`,
  ).run({
    uid: s.studyInstanceUID,
    patientRef,
    date: s.studyDate,
    time: s.studyTime,
    description: s.description,
    accession: s.accessionNumber,
    patientAge: s.patientAge ?? null,
    importedAt,
  });
  return (db.prepare('SELECT id FROM studies WHERE study_uid = ?').get(s.studyInstanceUID) as { id: number }).id;
}
