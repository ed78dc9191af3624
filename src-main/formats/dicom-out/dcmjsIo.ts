// Reading and writing DICOM Part 10 with dcmjs (a maintained library; no hand-rolled encoder): datasets are
// dcmjs "naturalized" objects (keyword → value, sequences as arrays of objects).
// dcmjs ships no type declarations; this module is the one typed doorway to it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dcmjs = require('dcmjs') as DcmjsModule;

export type Naturalized = Record<string, unknown>;

interface DcmjsModule {
  data: {
    DicomMetaDictionary: {
      denaturalizeDataset(ds: Naturalized): Record<string, unknown>;
      naturalizeDataset(dict: Record<string, unknown>): Naturalized;
    };
    DicomDict: new (meta: Record<string, unknown>) => { dict: Record<string, unknown>; write(opts?: Record<string, unknown>): ArrayBuffer };
    DicomMessage: { readFile(buf: ArrayBuffer, opts?: Record<string, unknown>): { meta: Record<string, unknown>; dict: Record<string, unknown> } };
  };
  anonymizer: { getTagsNameToEmpty(): string[] };
  log: { setLevel(level: string): void };
}

dcmjs.log.setLevel('error');

export const EXPLICIT_VR_LE = '1.2.840.10008.1.2.1';
export const IMPLEMENTATION_CLASS_UID = '2.25.161181240413960848236813226372536930451';
export const IMPLEMENTATION_VERSION = 'PULMO_0';

/** A Part 10 file (explicit VR little endian) of a naturalized dataset. */
export function writePart10(ds: Naturalized): Buffer {
  const meta = dcmjs.data.DicomMetaDictionary.denaturalizeDataset({
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: ds.SOPClassUID,
    MediaStorageSOPInstanceUID: ds.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LE,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: IMPLEMENTATION_VERSION,
    _vrMap: { FileMetaInformationVersion: 'OB' },
  });
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dcmjs.data.DicomMetaDictionary.denaturalizeDataset(ds);
  return Buffer.from(dict.write({ fragmentMultiframe: false }));
}

export function readPart10(bytes: Buffer): Naturalized {
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const msg = dcmjs.data.DicomMessage.readFile(ab, { ignoreErrors: false });
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(msg.dict);
}

/** Attribute keywords of the PS3.15 Basic Application Level Confidentiality Profile, as dcmjs lists them. */
export function basicProfileKeywords(): string[] {
  return dcmjs.anonymizer.getTagsNameToEmpty();
}
