// The ONNX encoder is checked by the real decoder: onnxruntime-node loads the bytes and computes known answers.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { GraphBuilder, float, int, ints } from '../../../src-main/cad/onnx/graphBuilder';

async function run(bytes: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, ort.Tensor>> {
  const s = await ort.InferenceSession.create(bytes, { executionProviders: ['cpu'] });
  try {
    return (await s.run(feeds)) as Record<string, ort.Tensor>;
  } finally {
    await s.release();
  }
}

describe('graphBuilder', () => {
  it('encodes a 3D Conv with bias, Relu and MaxPool that onnxruntime evaluates correctly', async () => {
    const g = new GraphBuilder('conv');
    g.input('x', 'float32', [1, 1, 'D', 'H', 'W']);
    const w = new Float32Array(27).fill(1); // box sum
    g.initializer('w', 'float32', [1, 1, 3, 3, 3], w);
    g.initializer('b', 'float32', [1], [-2]);
    g.node('Conv', ['x', 'w', 'b'], ['c'], { pads: ints([1, 1, 1, 1, 1, 1]), kernel_shape: ints([3, 3, 3]) });
    g.node('Relu', ['c'], ['r']);
    g.node('MaxPool', ['r'], ['m'], { kernel_shape: ints([2, 2, 2]), strides: ints([2, 2, 2]) });
    g.output('r', 'float32', [1, 1, 'D', 'H', 'W']);
    g.output('m', 'float32', null);
    const x = new Float32Array(4 * 4 * 4);
    for (let i = 0; i < x.length; i++) x[i] = (i * 7) % 5; // arbitrary, non-symmetric
    const out = await run(g.build(), { x: new ort.Tensor('float32', x, [1, 1, 4, 4, 4]) });
    // Reference in plain JS.
    const ref = new Float32Array(64);
    for (let z = 0; z < 4; z++) for (let y = 0; y < 4; y++) for (let xx = 0; xx < 4; xx++) {
      let s = -2;
      for (let dz = -1; dz <= 1; dz++) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const a = z + dz, b = y + dy, c = xx + dx;
        if (a >= 0 && a < 4 && b >= 0 && b < 4 && c >= 0 && c < 4) s += x[a * 16 + b * 4 + c];
      }
      ref[z * 16 + y * 4 + xx] = Math.max(0, s);
    }
    expect(Array.from(out.r.data as Float32Array)).toEqual(Array.from(ref));
    expect(out.m.dims).toEqual([1, 1, 2, 2, 2]);
    const m = out.m.data as Float32Array;
    expect(m[0]).toBe(Math.max(ref[0], ref[1], ref[4], ref[5], ref[16], ref[17], ref[20], ref[21]));
  });

  it('encodes int64 initializers, negative int attributes, float attributes and Softmax/ReduceMean/Reshape', async () => {
    const g = new GraphBuilder('misc');
    g.input('x', 'float32', [2, 3]);
    g.initializer('shape', 'int64', [1], [-1]);
    g.initializer('k', 'float32', [], [0.5]);
    g.node('Mul', ['x', 'k'], ['h']);
    g.node('Softmax', ['h'], ['sm'], { axis: int(-1) });
    g.node('Reshape', ['sm', 'shape'], ['flat']);
    g.node('ReduceMean', ['x'], ['mean'], { axes: ints([1]), keepdims: int(0) });
    g.node('LeakyRelu', ['x'], ['lr'], { alpha: float(0.25) });
    g.output('flat', 'float32', [6]);
    g.output('mean', 'float32', [2]);
    g.output('lr', 'float32', [2, 3]);
    const x = [1, -2, 3, 0.5, 4, -1];
    const out = await run(g.build({ opset: 17 }), { x: new ort.Tensor('float32', Float32Array.from(x), [2, 3]) });
    expect(out.flat.dims).toEqual([6]);
    for (let r = 0; r < 2; r++) {
      const e = x.slice(r * 3, r * 3 + 3).map((v) => Math.exp(v * 0.5));
      const s = e.reduce((a, b) => a + b, 0);
      e.forEach((v, c) => expect((out.flat.data as Float32Array)[r * 3 + c]).toBeCloseTo(v / s, 6));
      expect((out.mean.data as Float32Array)[r]).toBeCloseTo((x[r * 3] + x[r * 3 + 1] + x[r * 3 + 2]) / 3, 6);
    }
    expect(Array.from(out.lr.data as Float32Array)).toEqual(x.map((v) => (v < 0 ? v * 0.25 : v)));
  });

  it('names the node that reads an undefined value', () => {
    const g = new GraphBuilder();
    g.input('x', 'float32', [1]);
    g.node('Relu', ['y'], ['z']);
    g.output('z', 'float32', [1]);
    expect(() => g.build()).toThrow(/Relu.*reads "y"/);
  });

  it('rejects an initializer whose data does not match its dims', () => {
    const g = new GraphBuilder();
    g.input('x', 'float32', [2]);
    g.initializer('w', 'float32', [3], [1, 2]);
    g.node('Add', ['x', 'w'], ['y']);
    g.output('y', 'float32', [2]);
    expect(() => g.build()).toThrow(/tensor "w" has 2 values but dims 3/);
  });
});
