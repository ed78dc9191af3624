// Which models a CAD run uses: the default plan, or the ids the user asked for (validated against the registry).
import { ApiError } from '../../shared/errors';
import { CLASSICAL_DETECTOR, type ModelRegistry } from '../../cad/registry';
import type { ClassifierSpec, DetectorSpec } from '../../cad/computeCad';

export interface CadPlan {
  detector: DetectorSpec;
  classifier: ClassifierSpec | null;
}

/**
 * Models for a run. Default: the classical detector and the first installed classification model (if any).
 * Explicit ids: at most one detection and one classification model; the classical detector's id is accepted too.
 */
export function planModels(registry: ModelRegistry, ids?: string[]): CadPlan {
  const installed = registry.list().models;
  const classical: DetectorSpec = { kind: 'classical', id: CLASSICAL_DETECTOR.id, version: CLASSICAL_DETECTOR.version };
  const plan: { detector: DetectorSpec | null; classifier: ClassifierSpec | null } = { detector: null, classifier: null };
  for (const id of ids ?? []) {
    if (id === CLASSICAL_DETECTOR.id) {
      if (plan.detector) throw new ApiError('validation', `Two detection models requested (${plan.detector.id}, ${id}); choose one`);
      plan.detector = classical;
      continue;
    }
    const m = installed.find((x) => x.manifest.id === id);
    if (!m) throw new ApiError('not_found', `No model "${id}" is installed (installed: ${[CLASSICAL_DETECTOR.id, ...installed.map((x) => x.manifest.id)].join(', ')})`);
    const f = m.manifest;
    if (f.task === 'detection') {
      if (plan.detector) throw new ApiError('validation', `Two detection models requested (${plan.detector.id}, ${id}); choose one`);
      plan.detector = { kind: 'onnx', id: f.id, version: f.version, manifest: f, modelPath: m.modelPath };
    } else {
      if (plan.classifier) throw new ApiError('validation', `Two classification models requested (${plan.classifier.id}, ${id}); choose one`);
      plan.classifier = { id: f.id, version: f.version, manifest: f, modelPath: m.modelPath };
    }
  }
  if (!ids) {
    const c = installed.find((x) => x.manifest.task === 'classification');
    if (c && c.manifest.task === 'classification') plan.classifier = { id: c.manifest.id, version: c.manifest.version, manifest: c.manifest, modelPath: c.modelPath };
  }
  return { detector: plan.detector ?? classical, classifier: plan.classifier };
}
