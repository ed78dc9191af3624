// A small, dependency-free ONNX model ENCODER: build a graph in code and get the ModelProto bytes that
// `ort.InferenceSession.create(bytes)` loads. Used for built-in filters (e.g. a Hessian/conv stack run on the
// GPU provider), for the provider probe, and by tests to make models whose outputs are known.
//
// Usage:
//   const g = new GraphBuilder('blob');
//   g.input('x', 'float32', [1, 1, 'D', 'H', 'W']);              // strings are symbolic dims
//   g.initializer('w', 'float32', [1, 1, 3, 3, 3], weights);     // Float32Array | number[]
//   g.initializer('shape', 'int64', [2], [1, -1]);               // int64 for Reshape/Slice/axes inputs
//   g.node('Conv', ['x', 'w'], ['y'], { pads: ints([1, 1, 1, 1, 1, 1]), kernel_shape: ints([3, 3, 3]) });
//   g.node('Sigmoid', ['y'], ['p']);
//   g.output('p', 'float32', [1, 1, 'D', 'H', 'W']);
//   const bytes: Uint8Array = g.build({ opset: 17 });
//
// Any operator of the default ONNX domain can be expressed (Conv, Add, Mul, Sigmoid, Softmax, Reshape, ReduceMean,
// Relu, MaxPool, Identity, …); attributes are typed with the helpers int/ints/float/floats/str/tensor because an
// ONNX attribute's type (INT vs FLOAT) cannot be inferred from a JS number. Nothing is validated here beyond
// name references; onnxruntime validates the model when it loads it.
//
// Field numbers follow onnx/onnx.proto (IR version 8 = opset ≤ 17 era, loaded by onnxruntime 1.30):
//   ModelProto: ir_version 1, producer_name 2, producer_version 3, domain 4, model_version 5, doc_string 6,
//               graph 7, opset_import 8, metadata_props 14
//   OperatorSetIdProto: domain 1, version 2
//   GraphProto: node 1, name 2, initializer 5, doc_string 10, input 11, output 12
//   NodeProto: input 1, output 2, name 3, op_type 4, attribute 5, domain 7
//   AttributeProto: name 1, f 2, i 3, s 4, t 5, floats 7, ints 8, strings 9, type 20
//   TensorProto: dims 1, data_type 2, name 8, raw_data 9 (little-endian)
//   ValueInfoProto: name 1, type 2; TypeProto: tensor_type 1; TypeProto.Tensor: elem_type 1, shape 2
//   TensorShapeProto: dim 1; Dimension: dim_value 1, dim_param 2; StringStringEntryProto: key 1, value 2

export type ElemType = 'float32' | 'int64' | 'int32' | 'uint8' | 'bool' | 'float64';
export type Dim = number | string;

const DATA_TYPE: Record<ElemType, number> = { float32: 1, uint8: 2, int32: 6, int64: 7, bool: 9, float64: 11 };
const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface TensorInit {
  name: string;
  type: ElemType;
  dims: number[];
  data: ArrayLike<number> | ArrayLike<bigint>;
}

export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: TensorInit };

export const int = (value: number): Attr => ({ kind: 'int', value });
export const ints = (value: number[]): Attr => ({ kind: 'ints', value });
export const float = (value: number): Attr => ({ kind: 'float', value });
export const floats = (value: number[]): Attr => ({ kind: 'floats', value });
export const str = (value: string): Attr => ({ kind: 'string', value });
export const tensor = (value: TensorInit): Attr => ({ kind: 'tensor', value });

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, Attr>;
}

export interface ValueInfo {
  name: string;
  type: ElemType;
  shape: Dim[] | null; // null = rank unknown
}

// ---------------------------------------------------------------- protobuf wire format

const utf8 = new TextEncoder();

/** Accumulates one protobuf message; nested messages are encoded first and embedded as length-delimited bytes. */
class Msg {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  length = 0;

  private flush(): void {
    if (this.scratch.length) {
      this.chunks.push(Uint8Array.from(this.scratch));
      this.scratch = [];
    }
  }
  private byte(b: number): void {
    this.scratch.push(b);
    this.length++;
  }
  private varint(v: number | bigint): void {
    // int64 fields: negatives are encoded as 64-bit two's complement (10 bytes).
    let x = typeof v === 'bigint' ? BigInt.asUintN(64, v) : v >= 0 && v <= 0x7fffffff ? v : BigInt.asUintN(64, BigInt(v));
    if (typeof x === 'number') {
      while (x > 0x7f) {
        this.byte((x & 0x7f) | 0x80);
        x >>>= 7;
      }
      this.byte(x);
      return;
    }
    while (x > 0x7fn) {
      this.byte(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.byte(Number(x));
  }
  private tag(field: number, wire: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, v: number | bigint): this {
    if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new Error(`graphBuilder: field ${field} needs an integer, got ${v}`);
    this.tag(field, 0);
    this.varint(v);
    return this;
  }
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    for (const x of b) this.byte(x);
    return this;
  }
  bytes(field: number, data: Uint8Array): this {
    this.tag(field, 2);
    this.varint(data.length);
    this.flush();
    this.chunks.push(data);
    this.length += data.length;
    return this;
  }
  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }
  msg(field: number, m: Msg): this {
    return this.bytes(field, m.finish());
  }
  packedInts(field: number, vs: number[]): this {
    const m = new Msg();
    for (const v of vs) m.varint(v);
    return this.bytes(field, m.finish());
  }
  packedFloats(field: number, vs: number[]): this {
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }
  finish(): Uint8Array {
    this.flush();
    if (this.chunks.length === 1) return this.chunks[0];
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

// ---------------------------------------------------------------- ONNX messages

function rawData(t: TensorInit): Uint8Array {
  const n = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== n) throw new Error(`graphBuilder: tensor "${t.name}" has ${t.data.length} values but dims ${t.dims.join('x')} need ${n}`);
  const width = t.type === 'int64' || t.type === 'float64' ? 8 : t.type === 'uint8' || t.type === 'bool' ? 1 : 4;
  const b = new Uint8Array(n * width);
  const dv = new DataView(b.buffer);
  for (let i = 0; i < n; i++) {
    const v = t.data[i];
    switch (t.type) {
      case 'float32': dv.setFloat32(i * 4, Number(v), true); break;
      case 'float64': dv.setFloat64(i * 8, Number(v), true); break;
      case 'int32': dv.setInt32(i * 4, Number(v), true); break;
      case 'int64': dv.setBigInt64(i * 8, BigInt(v), true); break;
      case 'uint8': case 'bool': dv.setUint8(i, Number(v)); break;
    }
  }
  return b;
}

function tensorMsg(t: TensorInit): Msg {
  const m = new Msg();
  m.packedInts(1, t.dims).int(2, DATA_TYPE[t.type]).string(8, t.name).bytes(9, rawData(t));
  return m;
}

function attrMsg(name: string, a: Attr): Msg {
  const m = new Msg().string(1, name);
  switch (a.kind) {
    case 'int': return m.int(3, a.value).int(20, ATTR_TYPE.INT);
    case 'float': return m.float(2, a.value).int(20, ATTR_TYPE.FLOAT);
    case 'string': return m.string(4, a.value).int(20, ATTR_TYPE.STRING);
    case 'ints': return m.packedInts(8, a.value).int(20, ATTR_TYPE.INTS);
    case 'floats': return m.packedFloats(7, a.value).int(20, ATTR_TYPE.FLOATS);
    case 'strings': a.value.forEach((s) => m.string(9, s)); return m.int(20, ATTR_TYPE.STRINGS);
    case 'tensor': return m.msg(5, tensorMsg(a.value)).int(20, ATTR_TYPE.TENSOR);
  }
}

function valueInfoMsg(v: ValueInfo): Msg {
  const tt = new Msg().int(1, DATA_TYPE[v.type]);
  if (v.shape) {
    const shape = new Msg();
    for (const d of v.shape) shape.msg(1, typeof d === 'number' ? new Msg().int(1, d) : new Msg().string(2, d));
    tt.msg(2, shape);
  }
  return new Msg().string(1, v.name).msg(2, new Msg().msg(1, tt));
}

export interface BuildOptions {
  /** Default-domain opset; 17 is supported by every onnxruntime provider we use. */
  opset?: number;
  irVersion?: number;
  producer?: string;
  docString?: string;
  metadata?: Record<string, string>;
}

export class GraphBuilder {
  private nodes: NodeSpec[] = [];
  private inits: TensorInit[] = [];
  private inputs: ValueInfo[] = [];
  private outputs: ValueInfo[] = [];
  private counter = 0;

  constructor(readonly name = 'graph') {}

  input(name: string, type: ElemType, shape: Dim[] | null): this {
    this.inputs.push({ name, type, shape });
    return this;
  }
  output(name: string, type: ElemType, shape: Dim[] | null): this {
    this.outputs.push({ name, type, shape });
    return this;
  }
  initializer(name: string, type: ElemType, dims: number[], data: ArrayLike<number> | ArrayLike<bigint>): string {
    this.inits.push({ name, type, dims, data });
    return name;
  }
  /** Adds a node; returns its first output name so graphs can be chained. */
  node(op: string, inputs: string[], outputs: string[] | number = 1, attrs?: Record<string, Attr>): string {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(op)) : outputs;
    this.nodes.push({ op, inputs, outputs: outs, attrs, name: `${op}_${this.nodes.length}` });
    return outs[0];
  }
  /** A unique intermediate value name. */
  fresh(prefix = 't'): string {
    return `${prefix}_${this.counter++}`;
  }

  build(opts: BuildOptions = {}): Uint8Array {
    this.checkReferences();
    const graph = new Msg();
    for (const n of this.nodes) {
      const m = new Msg();
      n.inputs.forEach((i) => m.string(1, i));
      n.outputs.forEach((o) => m.string(2, o));
      if (n.name) m.string(3, n.name);
      m.string(4, n.op);
      for (const [k, a] of Object.entries(n.attrs ?? {})) m.msg(5, attrMsg(k, a));
      if (n.domain) m.string(7, n.domain);
      graph.msg(1, m);
    }
    graph.string(2, this.name);
    for (const t of this.inits) graph.msg(5, tensorMsg(t));
    for (const v of this.inputs) graph.msg(11, valueInfoMsg(v));
    for (const v of this.outputs) graph.msg(12, valueInfoMsg(v));

    const model = new Msg().int(1, opts.irVersion ?? 8).string(2, opts.producer ?? 'pulmo-graphBuilder');
    if (opts.docString) model.string(6, opts.docString);
    model.msg(7, graph).msg(8, new Msg().string(1, '').int(2, opts.opset ?? 17));
    for (const [k, v] of Object.entries(opts.metadata ?? {})) model.msg(14, new Msg().string(1, k).string(2, v));
    return model.finish();
  }

  /** Catches typos early with a message that names the node, rather than onnxruntime's generic load error. */
  private checkReferences(): void {
    const known = new Set<string>([...this.inputs.map((i) => i.name), ...this.inits.map((t) => t.name), '']);
    for (const n of this.nodes) {
      for (const i of n.inputs) if (!known.has(i)) throw new Error(`graphBuilder: node ${n.name} (${n.op}) reads "${i}", which nothing produces`);
      n.outputs.forEach((o) => known.add(o));
    }
    for (const o of this.outputs) if (!known.has(o.name)) throw new Error(`graphBuilder: graph output "${o.name}" is not produced by any node`);
  }
}
