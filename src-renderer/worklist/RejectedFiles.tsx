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
  network: 'Refused by the DICOM peer or lost in transfer',
  unclassified: 'Other',
  not_regular_file: 'Not a regular file (FIFO, device, socket)',
  outside_folder: 'Outside the chosen folder',
  bad_meta: 'DICOM file meta unusable',
  unsupported_syntax: 'Unsupported transfer syntax',
  parse_error: 'Malformed DICOM',
  truncated: 'Truncated',
  missing_attribute: 'Required attribute missing',
  limit_exceeded: 'Over the size limits',
  bad_pixel_format: 'Impossible pixel format',
  bad_rescale: 'Rescale slope/intercept unusable',
  bad_geometry: 'Position, orientation or spacing unusable',
  series_refused: 'Series not built as a volume',
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
