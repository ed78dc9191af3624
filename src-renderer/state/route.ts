// Hash routes: #/ (worklist), #/series/<SeriesInstanceUID>[/<volumeId>] (viewer), #/models, #/dicom/nodes, #/dicom/query. Deep links use the same.
import { create } from 'zustand';

export type Route = { page: 'worklist' } | { page: 'models' } | { page: 'dicom-nodes' } | { page: 'dicom-query' } | { page: 'series'; seriesInstanceUID: string; volumeId?: string };

export function parseHash(hash: string): Route {
  const m = /^#\/series\/([0-9.]+)(?:\/([A-Za-z0-9_-]+))?\/?$/.exec(hash);
  if (m) return { page: 'series', seriesInstanceUID: m[1], volumeId: m[2] };
  if (/^#\/models\/?$/.test(hash)) return { page: 'models' };
  if (/^#\/dicom\/nodes\/?$/.test(hash)) return { page: 'dicom-nodes' };
  if (/^#\/dicom\/query\/?$/.test(hash)) return { page: 'dicom-query' };
  return { page: 'worklist' };
}

export function hrefFor(route: Route): string {
  if (route.page === 'models') return '#/models';
  if (route.page === 'dicom-nodes') return '#/dicom/nodes';
  if (route.page === 'dicom-query') return '#/dicom/query';
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
