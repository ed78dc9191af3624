// The Query page's filters; dates typed as YYYY-MM-DD (the date picker's format) and sent as YYYYMMDD.
import { useState } from 'react';

export interface Filters {
  patientId?: string;
  patientName?: string;
  dateFrom?: string;
  dateTo?: string;
  modality?: string;
  accessionNumber?: string;
}

export function QueryFiltersForm({ busy, onSearch }: { busy: boolean; onSearch: (f: Filters) => void }) {
  const [f, setF] = useState({ patientId: '', patientName: '', dateFrom: '', dateTo: '', modality: '', accessionNumber: '' });
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.target.value });
  function submit(e: React.FormEvent) {
    e.preventDefault();
    const out: Filters = {};
    if (f.patientId.trim()) out.patientId = f.patientId.trim();
    if (f.patientName.trim()) out.patientName = f.patientName.trim();
    if (f.dateFrom) out.dateFrom = f.dateFrom.replace(/-/g, '');
    if (f.dateTo) out.dateTo = f.dateTo.replace(/-/g, '');
    if (f.modality.trim()) out.modality = f.modality.trim().toUpperCase();
    if (f.accessionNumber.trim()) out.accessionNumber = f.accessionNumber.trim();
    onSearch(out);
  }
  return (
    <form className="net-form" onSubmit={submit} data-testid="query-filters">
      <label>
        Patient ID <input value={f.patientId} onChange={set('patientId')} data-testid="q-patient-id" size={12} />
      </label>
      <label>
        Name <input value={f.patientName} onChange={set('patientName')} placeholder="DOE^J*" size={12} />
      </label>
      <label>
        From <input type="date" value={f.dateFrom} onChange={set('dateFrom')} />
      </label>
      <label>
        To <input type="date" value={f.dateTo} onChange={set('dateTo')} />
      </label>
      <label>
        Modality <input value={f.modality} onChange={set('modality')} size={4} placeholder="CT" />
      </label>
      <label>
        Accession <input value={f.accessionNumber} onChange={set('accessionNumber')} size={10} />
      </label>
      <button type="submit" disabled={busy} data-testid="query-search">
        Search
      </button>
    </form>
  );
}
