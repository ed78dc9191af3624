// The shell: top bar, the page for the current route, and the about/diagnostics panel.
import { useEffect, useState } from 'react';
import { api } from './api/client';
import { useAppInfo } from './state/appInfo';
import { useRoute } from './state/route';
import { WorklistPage } from './worklist/WorklistPage';
import { AboutPanel } from './ui/AboutPanel';
import { SeriesPage } from './viewer/SeriesPage';
import { ModelsPage } from './review/ModelsPage';
import { NodesPage } from './network/NodesPage';
import { QueryPage } from './network/QueryPage';

export function App() {
  const route = useRoute((s) => s.route);
  const go = useRoute((s) => s.go);
  const { info, load } = useAppInfo();
  const [about, setAbout] = useState(false);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(
    () =>
      api().on('menu', (p) => {
        if (p.action === 'about') setAbout(true);
      }),
    [],
  );

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/" onClick={() => go({ page: 'worklist' })}>
          Pulmo
        </a>
        <nav>
          <a href="#/" className={route.page === 'worklist' ? 'active' : ''}>
            Worklist
          </a>
          <a href="#/models" className={route.page === 'models' ? 'active' : ''} data-testid="nav-models">
            Models
          </a>
          <a href="#/dicom/query" className={route.page === 'dicom-query' ? 'active' : ''} data-testid="nav-query">
            Query/Retrieve
          </a>
          <a href="#/dicom/nodes" className={route.page === 'dicom-nodes' ? 'active' : ''} data-testid="nav-nodes">
            DICOM nodes
          </a>
        </nav>
        <span className="ruo-badge" title={info?.intendedUse}>
          Research use only
        </span>
        {info?.readOnly && <span className="warn">Database read-only</span>}
        <span className="spacer" />
        <button className="ghost" onClick={() => setAbout(true)} data-testid="open-about">
          About &amp; diagnostics
        </button>
      </header>
      {route.page === 'worklist' ? (
        <WorklistPage />
      ) : route.page === 'models' ? (
        <ModelsPage />
      ) : route.page === 'dicom-nodes' ? (
        <NodesPage />
      ) : route.page === 'dicom-query' ? (
        <QueryPage />
      ) : (
        <SeriesPage seriesInstanceUID={route.seriesInstanceUID} volumeId={route.volumeId} />
      )}
      {about && <AboutPanel onClose={() => setAbout(false)} />}
    </div>
  );
}
