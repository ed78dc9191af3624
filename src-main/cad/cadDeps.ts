// The classical detector and the measurement/scoring functions the CAD pipeline calls (pure functions from
// cad/detector, cad/measure, cad/lungRads, cad/brock), adapted to computeCad's CadDeps interface.
import type { CadDeps } from './computeCad';
import { classicalDetector } from './detector/classicalDetector';
import { characterizeNodule } from './measure/characterizeNodule';
import { lungRadsNodule } from './lungRads';
import { brockProbability } from './brock';
import { onnxGaussianSmoother } from './onnx/gaussianSmoothOnnx';

export const classicalDeps: CadDeps = {
  // The Gaussian smoothing of the Hessian stage runs as an ONNX graph on the run's provider (a GPU where one
  // works; on the CPU it is also ~4x faster than the JavaScript reference, which it matches to ~1e-6).
  classicalDetector: (ref, provider) => classicalDetector(ref, { enhance: onnxGaussianSmoother(provider) }),
  characterizeNodule: (vol, seed, opts) => characterizeNodule(vol, seed, opts),
  lungRadsNodule: (n) => lungRadsNodule({ type: n.type, diameterMm: n.diameterMm, solidComponentMm: n.solidComponentMm, status: 'baseline' }),
  brock: (n, patient, noduleCount) => {
    // BROCK_ASSUMPTIONS: family history, emphysema, spiculation taken as absent (recorded with the run).
    // Brock needs age and sex; with either unknown no probability is given rather than one on a guessed input.
    if (patient.ageYears === null || patient.sex === null || !(n.diameterMm > 0)) return null;
    return brockProbability({
      ageYears: patient.ageYears,
      sex: patient.sex === 'F' ? 'female' : 'male',
      familyHistoryLungCancer: false,
      emphysema: false,
      sizeMm: Math.min(100, n.diameterMm),
      type: n.type,
      upperLobe: n.location.zone === 'upper',
      noduleCount: Math.max(1, noduleCount),
      spiculation: false,
    });
  },
};
