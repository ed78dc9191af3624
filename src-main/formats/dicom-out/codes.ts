// Coded concepts used in Pulmo's SR and SEG. Standard codes (DCM, SCT, UCUM, LN) where DICOM defines one; the
// private scheme 99PULMO (declared in the SR's Coding Scheme Identification) for what no standard code covers
// (Lung-RADS category, reader decision, nodule type, Brock, cancer-type probabilities).
export interface Code {
  CodeValue: string;
  CodingSchemeDesignator: string;
  CodeMeaning: string;
}
export const code = (CodeValue: string, CodingSchemeDesignator: string, CodeMeaning: string): Code => ({ CodeValue, CodingSchemeDesignator, CodeMeaning });

export const PRIVATE_SCHEME = '99PULMO';
export const pcode = (v: string, meaning: string): Code => code(v, PRIVATE_SCHEME, meaning);

export const C = {
  imagingMeasurementReport: code('126000', 'DCM', 'Imaging Measurement Report'),
  languageOfContent: code('121049', 'DCM', 'Language of Content Item and Descendants'),
  englishUS: code('en-US', 'RFC5646', 'English (United States)'),
  observerType: code('121005', 'DCM', 'Observer Type'),
  person: code('121006', 'DCM', 'Person'),
  device: code('121007', 'DCM', 'Device'),
  personObserverName: code('121008', 'DCM', 'Person Observer Name'),
  personObserverRole: code('121011', 'DCM', "Person Observer's Role in this Procedure"),
  deviceObserverUID: code('121012', 'DCM', 'Device Observer UID'),
  deviceObserverName: code('121013', 'DCM', 'Device Observer Name'),
  deviceObserverManufacturer: code('121014', 'DCM', 'Device Observer Manufacturer'),
  deviceObserverModelName: code('121015', 'DCM', 'Device Observer Model Name'),
  procedureReported: code('121058', 'DCM', 'Procedure reported'),
  ctChest: code('24627-2', 'LN', 'CT Chest'),
  imageLibrary: code('111028', 'DCM', 'Image Library'),
  imageLibraryGroup: code('126200', 'DCM', 'Image Library Group'),
  imagingMeasurements: code('126010', 'DCM', 'Imaging Measurements'),
  measurementGroup: code('125007', 'DCM', 'Measurement Group'),
  trackingIdentifier: code('112039', 'DCM', 'Tracking Identifier'),
  trackingUID: code('112040', 'DCM', 'Tracking Unique Identifier'),
  finding: code('121071', 'DCM', 'Finding'),
  nodule: code('27925004', 'SCT', 'Nodule'),
  findingSite: code('363698007', 'SCT', 'Finding Site'),
  lung: code('39607008', 'SCT', 'Lung structure'),
  laterality: code('272741003', 'SCT', 'Laterality'),
  right: code('24028007', 'SCT', 'Right'),
  left: code('7771000', 'SCT', 'Left'),
  imageRegion: code('111030', 'DCM', 'Image Region'),
  sourceOfMeasurement: code('121112', 'DCM', 'Source of Measurement'),
  diameter: code('81827009', 'SCT', 'Diameter'),
  longAxis: code('103339001', 'SCT', 'Long Axis'),
  shortAxis: code('103340004', 'SCT', 'Short Axis'),
  volume: code('118565006', 'SCT', 'Volume'),
  attenuation: code('112031', 'DCM', 'Attenuation Coefficient'),
  derivation: code('121401', 'DCM', 'Derivation'),
  mean: code('373098007', 'SCT', 'Mean'),
  algorithmName: code('111001', 'DCM', 'Algorithm Name'),
  algorithmVersion: code('111003', 'DCM', 'Algorithm Version'),
  qualitativeEvaluations: code('C0034375', 'UMLS', 'Qualitative Evaluations'),
  recommendation: code('121075', 'DCM', 'Recommendation'),
  impression: code('121073', 'DCM', 'Impression'),
  mm: code('mm', 'UCUM', 'millimeter'),
  mm3: code('mm3', 'UCUM', 'cubic millimeter'),
  hu: code('[hnsf\'U]', 'UCUM', 'Hounsfield unit'),
  percent: code('%', 'UCUM', 'percent'),
  // Private (99PULMO).
  noduleType: pcode('NODTYPE', 'Nodule composition'),
  lungRads: pcode('LUNGRADS', 'Lung-RADS v2022 category'),
  examLungRads: pcode('EXAMLR', 'Exam Lung-RADS v2022 category'),
  sModifier: pcode('SMOD', 'Lung-RADS S modifier'),
  brock: pcode('BROCK', 'Brock (PanCan) malignancy probability'),
  readerDecision: pcode('DECISION', 'Reader decision'),
  rejectReason: pcode('REJECT', 'Rejection reason'),
  readingMode: pcode('MODE', 'Reading mode'),
  probBenign: pcode('P-BENIGN', 'Probability of benign'),
  probAC: pcode('P-AC', 'Probability of adenocarcinoma'),
  probSCC: pcode('P-SCC', 'Probability of squamous cell carcinoma'),
  // SEG.
  morphAbnormal: code('49755003', 'SCT', 'Morphologically Abnormal Structure'),
  segmentation: code('113076', 'DCM', 'Segmentation'),
  sourceForProcessing: code('121322', 'DCM', 'Source image for image processing operation'),
  basicProfile: code('113100', 'DCM', 'Basic Application Confidentiality Profile'),
  cleanStructuredContent: code('113104', 'DCM', 'Clean Structured Content Option'),
};

export const decisionCode = (d: string): Code => pcode(`D-${d.toUpperCase()}`, d === 'not-reviewed' ? 'not reviewed' : d);
export const typeCode = (t: string): Code => pcode(`T-${t.toUpperCase()}`, t);
