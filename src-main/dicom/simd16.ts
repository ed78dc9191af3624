// WebAssembly SIMD for the first pass of the common CT conversion (16-bit words, slope 1, integer intercept),
// 8 voxels per instruction: mask (unsigned) or sign-extend (signed) BitsStored, add the intercept (mod 2^16,
// exactly what storing into an Int16Array does) in place, and keep the lane-wise min and max of the stored
// values. The caller (storedToHu) decides from that range whether padding or clamping needs a second pass.
// The module is a few dozen bytes assembled below, so there is no build step and nothing to load from disk.

const PAGE = 65536;

const SIMD = 0xfd;
const V128 = 0x7b;
const I32 = 0x7f;
// Opcodes (core, then SIMD after the 0xfd prefix; two-byte ones are LEB128).
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const BLOCK = 0x02;
const LOOP = 0x03;
const BR_IF = 0x0d;
const END = 0x0b;
const VOID = 0x40;
const v128Load = [SIMD, 0x00, 0x00, 0x00]; // memarg: align 2^0 (unaligned is allowed), offset 0
const v128Store = (offset: number): number[] => [SIMD, 0x0b, 0x00, offset];
const v128Const = (lane16: number): number[] => [SIMD, 0x0c, ...Array.from({ length: 8 }, () => [lane16 & 0xff, lane16 >> 8]).flat()];
const I16X8_SPLAT = [SIMD, 0x10];
const V128_AND = [SIMD, 0x4e];
const I16X8_SHL = [SIMD, 0x8b, 0x01];
const I16X8_SHR_S = [SIMD, 0x8c, 0x01];
const I16X8_ADD = [SIMD, 0x8e, 0x01];
const I16X8_MIN_S = [SIMD, 0x96, 0x01];
const I16X8_MIN_U = [SIMD, 0x97, 0x01];
const I16X8_MAX_S = [SIMD, 0x98, 0x01];
const I16X8_MAX_U = [SIMD, 0x99, 0x01];

/**
 * One pass function (ptr, vectors, a, intercept): params 0-3, v128 locals 4 = a-vector (mask), 5 = intercept,
 * 6 = min, 7 = max, 8 = current values. `signed` sign-extends with a shift of `a` bits instead of masking.
 */
function passBody(signed: boolean): number[] {
  const values = signed
    ? [LOCAL_GET, 0, ...v128Load, LOCAL_GET, 2, ...I16X8_SHL, LOCAL_GET, 2, ...I16X8_SHR_S, LOCAL_SET, 8]
    : [LOCAL_GET, 0, ...v128Load, LOCAL_GET, 4, ...V128_AND, LOCAL_SET, 8];
  const code = [
    1, 5, V128, // five v128 locals
    LOCAL_GET, 2, ...I16X8_SPLAT, LOCAL_SET, 4,
    LOCAL_GET, 3, ...I16X8_SPLAT, LOCAL_SET, 5,
    ...v128Const(signed ? 0x7fff : 0xffff), LOCAL_SET, 6,
    ...v128Const(signed ? 0x8000 : 0x0000), LOCAL_SET, 7,
    BLOCK, VOID,
    LOCAL_GET, 1, I32_EQZ, BR_IF, 0,
    LOOP, VOID,
    ...values,
    LOCAL_GET, 0, LOCAL_GET, 8, LOCAL_GET, 5, ...I16X8_ADD, ...v128Store(0),
    LOCAL_GET, 6, LOCAL_GET, 8, ...(signed ? I16X8_MIN_S : I16X8_MIN_U), LOCAL_SET, 6,
    LOCAL_GET, 7, LOCAL_GET, 8, ...(signed ? I16X8_MAX_S : I16X8_MAX_U), LOCAL_SET, 7,
    LOCAL_GET, 0, I32_CONST, 16, I32_ADD, LOCAL_SET, 0,
    LOCAL_GET, 1, I32_CONST, 1, I32_SUB, LOCAL_TEE, 1, BR_IF, 0,
    END,
    END,
    I32_CONST, 0, LOCAL_GET, 6, ...v128Store(0),
    I32_CONST, 0, LOCAL_GET, 7, ...v128Store(16),
    END,
  ];
  return [...leb(code.length), ...code];
}

/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function section(id: number, content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

function moduleBytes(): Uint8Array {
  const u = passBody(false);
  const s = passBody(true);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 4, I32, I32, I32, I32, 0]), // type (i32 x4) -> ()
    ...section(2, [1, 1, 0x65, 1, 0x6d, 0x02, 0x00, 0x01]), // import "e" "m": memory, min 1 page
    ...section(3, [2, 0, 0]),
    ...section(7, [2, 1, 0x75, 0x00, 0, 1, 0x73, 0x00, 1]), // export "u" = 0, "s" = 1
    ...section(10, [2, ...u, ...s]),
  ]);
}

function roundUp(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

type PassFn = (ptr: number, vectors: number, a: number, intercept: number) => void;

/** The part of the WebAssembly JS API used here (the main tsconfig's lib has no WebAssembly declarations). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  validate(code: Uint8Array): boolean;
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (code: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Buffers start on page boundaries (a WebAssembly memory itself starts on one), as O_DIRECT writes need. */
export const SIMD_BUFFER_ALIGN = 4096;

/** A fixed-size WebAssembly memory holding page-aligned int16 buffers, and the SIMD pass over them. */
export class Simd16 {
  private next = SIMD_BUFFER_ALIGN; // the first page holds the result vectors
  private readonly results: ArrayBuffer;

  private constructor(
    private readonly memory: WasmMemory,
    private readonly passU: PassFn,
    private readonly passS: PassFn,
  ) {
    this.results = memory.buffer;
  }

  /** A memory with room for `count` buffers of `length` voxels, or null where WebAssembly SIMD is not available. */
  static create(count: number, length: number): Simd16 | null {
    if (!wasm) return null;
    try {
      const code = moduleBytes();
      if (!wasm.validate(code)) return null;
      const bytes = SIMD_BUFFER_ALIGN + count * roundUp(2 * length, SIMD_BUFFER_ALIGN);
      const memory = new wasm.Memory({ initial: Math.ceil(bytes / PAGE) });
      const inst = new wasm.Instance(new wasm.Module(code), { e: { m: memory } });
      return new Simd16(memory, inst.exports.u as PassFn, inst.exports.s as PassFn);
    } catch {
      return null;
    }
  }

  /** An Int16Array of `length` voxels inside the memory, starting on a page; throws when the memory is full. */
  alloc(length: number): Int16Array {
    const at = this.next;
    if (at + 2 * length > this.memory.buffer.byteLength) throw new Error('Simd16: out of memory');
    this.next = at + roundUp(2 * length, SIMD_BUFFER_ALIGN);
    return new Int16Array(this.memory.buffer, at, length);
  }

  /** Whether `a` lives in this memory (so pass() can work on it). */
  owns(a: ArrayBufferView): boolean {
    return a.buffer === this.memory.buffer;
  }

  /**
   * In place over a[0 ... n): v = stored value (low `bits` bits, sign-extended when `signed`), a[i] = v + intercept
   * (mod 2^16). Returns [min v, max v]; the last n % 8 values are done in plain JS.
   */
  pass(a: Int16Array, n: number, bits: number, signed: boolean, intercept: number): [number, number] {
    if (!this.owns(a) || n > a.length) throw new Error('Simd16.pass: buffer not in this memory');
    const vectors = n >> 3;
    const c = intercept & 0xffff;
    if (signed) this.passS(a.byteOffset, vectors, 16 - bits, c);
    else this.passU(a.byteOffset, vectors, 2 ** bits - 1, c);
    let lo = Infinity;
    let hi = -Infinity;
    if (vectors > 0) {
      const lanes = signed ? new Int16Array(this.results, 0, 16) : new Uint16Array(this.results, 0, 16);
      for (let l = 0; l < 8; l++) {
        if (lanes[l] < lo) lo = lanes[l];
        if (lanes[8 + l] > hi) hi = lanes[8 + l];
      }
    }
    const up = 32 - bits;
    const mask = 2 ** bits - 1;
    for (let i = vectors << 3; i < n; i++) {
      const v = signed ? (a[i] << up) >> up : a[i] & mask;
      a[i] = v + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  }
}
