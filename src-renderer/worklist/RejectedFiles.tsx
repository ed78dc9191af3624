// The files an import rejected, grouped by why (the error code), each with its reason; collapsible.
import type { FileError, FileErrorCode } from '../../src-main/shared/types';

const GROUP_LABEL: Record<FileErrorCode, string> = {
  not_found: 'Not found',
  unreadable: 'Cannot be read',
  not_dicom: 'Not DICOM',
  bad_header: 'DICOM header unusable',
  unsupported: 'Unsupported encoding',
  duplicate: 'Duplicates (skipped)',
  pixel_data: 'Pixel data unreadable',
  post_import: 'After import',
  unclassified: 'Other',
};

export function RejectedFiles({ errors, open = false }: { errors: FileError[]; open?: boolean }) {
  if (errors.length === 0) return null;
  const groups = new Map<FileErrorCode, FileError[]>();
  for (const e of errors) groups.set(e.code, [...(groups.get(e.code) ?? []), e]);
  return (
    <details open={open}>
      <summary>{errors.length} rejected files</summary>
      {[...groups].map(([code, list]) => (
        <div key={code} className="job-error-group" data-code={code}>
          <b>
            {GROUP_LABEL[code] ?? code} ({list.length})
          </b>
          <ul className="job-errors" data-testid="import-errors">
            {list.map((e, i) => (
              <li key={i}>
                <code>{e.file}</code>: {e.reason}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </details>
  );
}
