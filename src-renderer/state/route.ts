// Hash routes: #/ (worklist) and #/series/<SeriesInstanceUID>[/<volumeId>] (viewer). Deep links use the same.
import { create } from 'zustand';

export type Route = { page: 'worklist' } | { page: 'series'; seriesInstanceUID: string; volumeId?: string };

export function parseHash(hash: string): Route {
  const m = /^#\/series\/([0-9.]+)(?:\/([A-Za-z0-9_-]+))?\/?$/.exec(hash);
  if (m) return { page: 'series', seriesInstanceUID: m[1], volumeId: m[2] };
  return { page: 'worklist' };
}

export function hrefFor(route: Route): string {
  return route.page === 'series' ? `#/series/${route.seriesInstanceUID}${route.volumeId ? `/${route.volumeId}` : ''}` : '#/';
}

interface RouteState {
  route: Route;
  go(route: Route): void;
}

export const useRoute = create<RouteState>((set) => {
  window.addEventListener('hashchange', () => set({ route: parseHash(window.location.hash) }));
  return {
    route: parseHash(window.location.hash),
    go: (route) => {
      window.location.hash = hrefFor(route);
    },
  };
});
