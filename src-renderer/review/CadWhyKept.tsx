// Why the detector kept a CAD finding: the score and the features it was computed from, as the detector recorded
// them (nothing is recomputed here). Older findings, stored before features were recorded, show nothing.
import type { Finding } from '../../src-main/shared/types';

/** Feature name → how the reader sees it (label, unit, digits). Features not listed are in the raw table. */
const SHOWN: Record<string, [string, string, number]> = {
  sphericity: ['sphericity', '', 2],
  elongation: ['elongation', '×', 1],
  meanHU: ['mean density on the detector’s 1–1.5 mm grid', ' HU', 0],
  shellAirFraction: ['aerated lung around it', '', 2],
  mediastinumMm: ['distance to mediastinum (in-plane, ≤ 40)', ' mm', 1],
  pleuraDistanceMm: ['distance to pleura', ' mm', 1],
  attachedFraction: ['cut off by the vessel opening', '', 2],
  shellBranches: ['structures leaving it', '', 0],
};

export function CadWhyKept({ finding: f }: { finding: Finding }) {
  const feats = f.detectorFeatures;
  if (!feats || f.score == null) return null;
  return (
    <details className="small-text" data-testid="cad-why-kept">
      <summary>Why kept: score {f.score.toFixed(2)} by {f.modelId ?? 'the detector'}</summary>
      <ul className="muted">
        {Object.entries(SHOWN)
          .filter(([k]) => feats[k] !== undefined)
          .map(([k, [label, unit, digits]]) => (
            <li key={k} data-feature={k}>
              {label}: {feats[k].toFixed(digits)}
              {unit}
            </li>
          ))}
      </ul>
    </details>
  );
}
