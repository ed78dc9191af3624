// C-FIND keys and QIDO-RS parameters from the Query page's filters, and peer answers turned into rows.
import { describe, expect, it } from 'vitest';
import { findKeys, qidoParams, qidoToQueryRow, toQueryRow } from '../../../src-main/net/queryKeys';
import { parsePeerSpec } from '../../../src-main/services/net/nodes';

describe('query keys', () => {
  it('turns a date range into DICOM range matching and leaves return keys empty', () => {
    const k = findKeys('study', { patientId: 'P1', dateFrom: '20240101', dateTo: '20240131', modality: 'CT' });
    expect(k).toMatchObject({ PatientID: 'P1', StudyDate: '20240101-20240131', ModalitiesInStudy: 'CT', StudyInstanceUID: '', NumberOfStudyRelatedInstances: '' });
    expect(findKeys('study', { dateFrom: '20240101' }).StudyDate).toBe('20240101-');
    expect(findKeys('study', { dateTo: '20240101' }).StudyDate).toBe('-20240101');
    expect(findKeys('study', { dateFrom: '20240101', dateTo: '20240101' }).StudyDate).toBe('20240101');
    expect(qidoParams('study', { patientId: 'P1', dateFrom: '20240101' }).toString()).toBe(
      'PatientID=P1&StudyDate=20240101-&includefield=StudyDescription&includefield=ModalitiesInStudy&includefield=NumberOfStudyRelatedInstances',
    );
  });

  it('reads matches defensively: person names, multi-valued modalities, missing or junk counts', () => {
    const row = toQueryRow('study', { PatientName: [{ Alphabetic: 'DOE^JANE' }], ModalitiesInStudy: ['CT', 'SR'], NumberOfStudyRelatedInstances: 'many', StudyInstanceUID: '1.2.3' });
    expect(row).toMatchObject({ patientName: 'DOE^JANE', modalities: 'CT\\SR', numberOfInstances: null, studyInstanceUID: '1.2.3', accessionNumber: '' });
    const qido = qidoToQueryRow('series', { '0020000E': { Value: ['1.2.3.4'] }, '00201209': { Value: [12] }, '00080060': { Value: ['CT'] } });
    expect(qido).toMatchObject({ seriesInstanceUID: '1.2.3.4', numberOfInstances: 12, modalities: 'CT' });
  });

  it('parses AET@host:port and refuses what is not one', () => {
    expect(parsePeerSpec('ORTHANC@127.0.0.1:4242')).toMatchObject({ kind: 'dimse', aet: 'ORTHANC', host: '127.0.0.1', port: 4242, name: 'ORTHANC@127.0.0.1:4242' });
    expect(parsePeerSpec('PACS@[::1]:104')).toMatchObject({ host: '::1', port: 104 });
    expect(parsePeerSpec('pacs')).toBeNull();
    expect(parsePeerSpec('A\\B@host:104')).toBeNull();
    expect(parsePeerSpec('TOO_LONG_AE_TITLE_X@host:104')).toBeNull();
    expect(parsePeerSpec('PACS@host:70000')).toBeNull();
  });
});
