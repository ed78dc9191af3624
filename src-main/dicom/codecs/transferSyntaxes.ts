// The transfer syntaxes Pulmo knows by name, and which encapsulated ones it can decode.
// Names follow PS3.6 Table A-1 so error messages match what PACS administrators see.

export const TS = {
  implicitLittle: '1.2.840.10008.1.2',
  explicitLittle: '1.2.840.10008.1.2.1',
  deflatedExplicitLittle: '1.2.840.10008.1.2.1.99',
  explicitBig: '1.2.840.10008.1.2.2',
  jpegBaseline: '1.2.840.10008.1.2.4.50',
  jpegExtended: '1.2.840.10008.1.2.4.51',
  jpegLossless: '1.2.840.10008.1.2.4.57',
  jpegLosslessSV1: '1.2.840.10008.1.2.4.70',
  jpegLsLossless: '1.2.840.10008.1.2.4.80',
  jpegLsNearLossless: '1.2.840.10008.1.2.4.81',
  jpeg2000Lossless: '1.2.840.10008.1.2.4.90',
  jpeg2000: '1.2.840.10008.1.2.4.91',
  htj2kLossless: '1.2.840.10008.1.2.4.201',
  htj2kLosslessRpcl: '1.2.840.10008.1.2.4.202',
  htj2k: '1.2.840.10008.1.2.4.203',
  rleLossless: '1.2.840.10008.1.2.5',
} as const;

/** Which decoder module handles an encapsulated syntax. */
export type CodecFamily = 'rle' | 'jpegBaseline' | 'jpegLossless' | 'jpegLs' | 'jpeg2000';

interface SyntaxEntry {
  name: string;
  /** Pixel data is encapsulated (fragments), i.e. needs a codec. */
  encapsulated: boolean;
  /** The codec Pulmo decodes it with; undefined = known but not decodable. */
  codec?: CodecFamily;
}

const SYNTAXES: Readonly<Record<string, SyntaxEntry>> = {
  [TS.implicitLittle]: { name: 'Implicit VR Little Endian', encapsulated: false },
  [TS.explicitLittle]: { name: 'Explicit VR Little Endian', encapsulated: false },
  [TS.deflatedExplicitLittle]: { name: 'Deflated Explicit VR Little Endian', encapsulated: false },
  [TS.explicitBig]: { name: 'Explicit VR Big Endian (retired)', encapsulated: false },
  [TS.jpegBaseline]: { name: 'JPEG Baseline (Process 1)', encapsulated: true, codec: 'jpegBaseline' },
  // 8-bit extended-process streams decode with libjpeg-turbo; 12-bit ones are refused in decodeFrame.
  [TS.jpegExtended]: { name: 'JPEG Extended (Process 2 & 4)', encapsulated: true, codec: 'jpegBaseline' },
  '1.2.840.10008.1.2.4.52': { name: 'JPEG Extended (Process 3 & 5) (retired)', encapsulated: true },
  '1.2.840.10008.1.2.4.53': { name: 'JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8) (retired)', encapsulated: true },
  '1.2.840.10008.1.2.4.55': { name: 'JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (retired)', encapsulated: true },
  [TS.jpegLossless]: { name: 'JPEG Lossless, Non-Hierarchical (Process 14)', encapsulated: true, codec: 'jpegLossless' },
  [TS.jpegLosslessSV1]: {
    name: 'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])',
    encapsulated: true,
    codec: 'jpegLossless',
  },
  [TS.jpegLsLossless]: { name: 'JPEG-LS Lossless Image Compression', encapsulated: true, codec: 'jpegLs' },
  [TS.jpegLsNearLossless]: { name: 'JPEG-LS Lossy (Near-Lossless) Image Compression', encapsulated: true, codec: 'jpegLs' },
  [TS.jpeg2000Lossless]: { name: 'JPEG 2000 Image Compression (Lossless Only)', encapsulated: true, codec: 'jpeg2000' },
  [TS.jpeg2000]: { name: 'JPEG 2000 Image Compression', encapsulated: true, codec: 'jpeg2000' },
  '1.2.840.10008.1.2.4.92': { name: 'JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)', encapsulated: true },
  '1.2.840.10008.1.2.4.93': { name: 'JPEG 2000 Part 2 Multi-component Image Compression', encapsulated: true },
  '1.2.840.10008.1.2.4.94': { name: 'JPIP Referenced', encapsulated: false },
  '1.2.840.10008.1.2.4.95': { name: 'JPIP Referenced Deflate', encapsulated: false },
  '1.2.840.10008.1.2.4.100': { name: 'MPEG2 Main Profile / Main Level', encapsulated: true },
  '1.2.840.10008.1.2.4.101': { name: 'MPEG2 Main Profile / High Level', encapsulated: true },
  '1.2.840.10008.1.2.4.102': { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.1', encapsulated: true },
  '1.2.840.10008.1.2.4.103': { name: 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1', encapsulated: true },
  '1.2.840.10008.1.2.4.104': { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video', encapsulated: true },
  '1.2.840.10008.1.2.4.105': { name: 'MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video', encapsulated: true },
  '1.2.840.10008.1.2.4.106': { name: 'MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2', encapsulated: true },
  '1.2.840.10008.1.2.4.107': { name: 'HEVC/H.265 Main Profile / Level 5.1', encapsulated: true },
  '1.2.840.10008.1.2.4.108': { name: 'HEVC/H.265 Main 10 Profile / Level 5.1', encapsulated: true },
  // HTJ2K decodes with OpenJPEG >= 2.5, which the Cornerstone openjpeg WASM build is.
  [TS.htj2kLossless]: { name: 'High-Throughput JPEG 2000 Image Compression (Lossless Only)', encapsulated: true, codec: 'jpeg2000' },
  [TS.htj2kLosslessRpcl]: {
    name: 'High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)',
    encapsulated: true,
    codec: 'jpeg2000',
  },
  [TS.htj2k]: { name: 'High-Throughput JPEG 2000 Image Compression', encapsulated: true, codec: 'jpeg2000' },
  [TS.rleLossless]: { name: 'RLE Lossless', encapsulated: true, codec: 'rle' },
  '1.2.840.10008.1.2.6.1': { name: 'RFC 2557 MIME encapsulation (retired)', encapsulated: false },
  '1.2.840.10008.1.2.6.2': { name: 'XML Encoding (retired)', encapsulated: false },
};

/** Human name of a transfer syntax for messages; unknown UIDs are named as such. */
export function transferSyntaxName(uid: string): string {
  return SYNTAXES[uid.trim()]?.name ?? 'unknown transfer syntax';
}

/** True when the UID is a known encapsulated syntax that Pulmo has a codec for. */
export function isEncapsulatedSyntaxSupported(uid: string): boolean {
  return SYNTAXES[uid.trim()]?.codec !== undefined;
}

/** True for known syntaxes whose pixel data is encapsulated (whether or not Pulmo decodes them). */
export function isEncapsulatedSyntax(uid: string): boolean {
  return SYNTAXES[uid.trim()]?.encapsulated === true;
}

export function codecFamily(uid: string): CodecFamily | undefined {
  return SYNTAXES[uid.trim()]?.codec;
}

/** High-Throughput JPEG 2000 syntaxes (decoded by OpenJPEG with the other JPEG 2000 ones). */
export function isHtj2k(uid: string): boolean {
  const u = uid.trim();
  return u === TS.htj2kLossless || u === TS.htj2kLosslessRpcl || u === TS.htj2k;
}
