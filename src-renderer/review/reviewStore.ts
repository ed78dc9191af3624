// The CAD display filter per case: CAD findings scoring below it are hidden from the lists and the overlay.
// It is a display filter only — the exam Lung-RADS and Brock's nodule count use the CAD run's own stored
// operating point (or, once review exists, the reader's accepted findings), never this slider. Kept per series
// in sessionStorage, so one patient's filter never carries over to another and a reload keeps it.
import { create } from 'zustand';

const KEY = 'pulmo.cadDisplayFilter';

function restored(): Record<string, number> {
  try {
    const v = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return Object.fromEntries(Object.entries(v).filter(([, t]) => typeof t === 'number' && t >= 0 && t <= 1)) as Record<string, number>;
  } catch {
    return {};
  }
}

interface ReviewStore {
  /** Display filter per SeriesInstanceUID; a series without one shows CAD findings from its run's operating point. */
  displayFilter: Record<string, number>;
  setDisplayFilter(seriesInstanceUID: string, minScore: number): void;
}

export const useReviewStore = create<ReviewStore>((set, get) => ({
  displayFilter: restored(),
  setDisplayFilter: (uid, minScore) => {
    const next = { ...get().displayFilter, [uid]: minScore };
    try {
      sessionStorage.setItem(KEY, JSON.stringify(next));
    } catch {
      // Storage unavailable: the filter lasts for this page.
    }
    set({ displayFilter: next });
  },
}));
