// The files an import rejected, each with its reason, collapsible.
import type { FileError } from '../../src-main/shared/types';

export function RejectedFiles({ errors, open = false }: { errors: FileError[]; open?: boolean }) {
  if (errors.length === 0) return null;
  return (
    <details open={open}>
      <summary>{errors.length} rejected files</summary>
      <ul className="job-errors" data-testid="import-errors">
        {errors.map((e, i) => (
          <li key={i}>
            <code>{e.file}</code>: {e.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
