// Turns a codec's samples into DICOM stored values: 8-bit widens to 16, signed data (Pixel Representation 1)
// is sign-extended from Bits Stored, unsigned data keeps only its Bits Stored low bits.

export function toStoredValues(samples: Uint8Array | Uint16Array, bitsStored: number, signed: boolean): Int16Array | Uint16Array {
  const n = samples.length;
  const shift = 32 - bitsStored;
  if (signed) {
    const out = new Int16Array(n);
    // (v << shift) >> shift copies bit (bitsStored-1) into every higher bit: two's complement sign extension.
    for (let i = 0; i < n; i++) out[i] = (samples[i] << shift) >> shift;
    return out;
  }
  const out = new Uint16Array(n);
  const mask = bitsStored >= 16 ? 0xffff : (1 << bitsStored) - 1;
  for (let i = 0; i < n; i++) out[i] = samples[i] & mask;
  return out;
}
