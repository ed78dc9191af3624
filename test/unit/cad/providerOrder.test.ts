// The execution-provider preference order and its site override.
import { describe, expect, it } from 'vitest';
import { defaultProviderOrder } from '../../../src-main/cad/providers';

describe('provider order', () => {
  it('is CUDA → platform GPU API → WebGPU → CPU, or what PULMO_PROVIDERS says', () => {
    expect(defaultProviderOrder('linux', {})).toEqual(['cuda', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('win32', {})).toEqual(['cuda', 'dml', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('darwin', {})).toEqual(['cuda', 'coreml', 'webgpu', 'cpu']);
    expect(defaultProviderOrder('linux', { PULMO_PROVIDERS: 'WebGPU, cpu' })).toEqual(['webgpu', 'cpu']);
  });
});
