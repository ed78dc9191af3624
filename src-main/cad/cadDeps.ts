// The classical detector and the measurement/scoring functions the CAD pipeline calls (pure functions from
// cad/detector, cad/measure, cad/lungRads), adapted to computeCad's CadDeps interface. Brock is not here: it is
// computed from the recorded inputs in brockInputs.ts, the one place.
import type { CadDeps } from './computeCad';
import { classicalDetector } from './detector/classicalDetector';
import { characterizeNodule } from './measure/characterizeNodule';
import { lungRadsNodule } from './lungRads';
import { onnxGaussianSmoother } from './onnx/gaussianSmoothOnnx';

export const classicalDeps: CadDeps = {
  // The Gaussian smoothing of the Hessian stage runs as an ONNX graph on the run's provider (a GPU where one
  // works; on the CPU it is also ~4x faster than the JavaScript reference, which it matches to ~1e-6).
  classicalDetector: (ref, provider) => classicalDetector(ref, { enhance: onnxGaussianSmoother(provider) }),
  characterizeNodule: (vol, seed, opts) => characterizeNodule(vol, seed, opts),
  lungRadsNodule: (n) => lungRadsNodule({ type: n.type, diameterMm: n.diameterMm, solidComponentMm: n.solidComponentMm, status: 'baseline' }),
};
