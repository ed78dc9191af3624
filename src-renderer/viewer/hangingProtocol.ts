// Hanging protocol: the layout a series opens in, per kind of series. Chest CT opens with the axial view large
// (lung window) and coronal + sagittal beside it; 3D is on demand, never in the default layout, because a
// software-GL volume rendering can take seconds. A layout the reader picks is remembered per user (this
// browser profile) for that kind of series and used the next time one opens.
import type { Layout } from '../state/viewerStore';

const KEY = 'pulmo.hangingProtocol';
const DEFAULTS: Record<string, Layout> = { CT: '1+2' };
const LAYOUTS: Layout[] = ['1x1', '1+2', '1x3', '2x2'];

function remembered(): Record<string, Layout> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(v).filter(([, l]) => LAYOUTS.includes(l as Layout))) as Record<string, Layout>;
  } catch {
    return {};
  }
}

/** The layout a series of this modality opens in: the reader's last choice, else the protocol's default. */
export function layoutFor(modality: string): Layout {
  return remembered()[modality] ?? DEFAULTS[modality] ?? '1+2';
}

/** Remembers the reader's layout choice for series of this modality. */
export function rememberLayout(modality: string, layout: Layout): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...remembered(), [modality]: layout }));
  } catch {
    // Private mode or full storage: the choice lasts for this page only.
  }
}
