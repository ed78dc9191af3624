// Review settings kept for the session: the CAD operating point (score threshold). Stored in sessionStorage so a
// reload of the window keeps it; a new session starts at the default.
import { create } from 'zustand';

export const DEFAULT_THRESHOLD = 0.5;
const KEY = 'pulmo.cadThreshold';

function initial(): number {
  const v = Number(sessionStorage.getItem(KEY));
  return sessionStorage.getItem(KEY) !== null && Number.isFinite(v) && v >= 0 && v <= 1 ? v : DEFAULT_THRESHOLD;
}

interface ReviewStore {
  /** CAD findings with a score below this are hidden from the lists and the overlay. */
  threshold: number;
  setThreshold(t: number): void;
}

export const useReviewStore = create<ReviewStore>((set) => ({
  threshold: initial(),
  setThreshold: (t) => {
    sessionStorage.setItem(KEY, String(t));
    set({ threshold: t });
  },
}));
