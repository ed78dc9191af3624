// Search text, modality and study-date range for the worklist.
export interface Filters {
  text: string;
  modality: string;
  dateFrom: string; // yyyy-mm-dd from the date input, or ''
  dateTo: string;
  /** Only studies with a series whose read is not signed. */
  unread?: boolean;
}

export function WorklistFilters({ value, onChange }: { value: Filters; onChange: (f: Filters) => void }) {
  const set = (patch: Partial<Filters>) => onChange({ ...value, ...patch });
  return (
    <div className="filters">
      <input
        className="search"
        type="search"
        placeholder="Search patient name, ID, accession, description"
        value={value.text}
        onChange={(e) => set({ text: e.target.value })}
        aria-label="Search the worklist"
        data-testid="worklist-search"
      />
      <select value={value.modality} onChange={(e) => set({ modality: e.target.value })} aria-label="Modality">
        <option value="">All modalities</option>
        <option value="CT">CT</option>
        <option value="PT">PT</option>
        <option value="MR">MR</option>
        <option value="CR">CR</option>
        <option value="DX">DX</option>
      </select>
      <label className="muted">
        from <input type="date" value={value.dateFrom} onChange={(e) => set({ dateFrom: e.target.value })} aria-label="Study date from" />
      </label>
      <label className="muted">
        to <input type="date" value={value.dateTo} onChange={(e) => set({ dateTo: e.target.value })} aria-label="Study date to" />
      </label>
      <label className="muted">
        <input type="checkbox" checked={!!value.unread} onChange={(e) => set({ unread: e.target.checked })} data-testid="worklist-unread" /> unread only
      </label>
    </div>
  );
}
