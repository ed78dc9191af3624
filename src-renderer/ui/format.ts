// Display helpers. DICOM dates are YYYYMMDD; show them as ISO dates, unambiguous in every locale.
export function formatDicomDate(d: string | null | undefined): string {
  if (!d || !/^\d{8}$/.test(d)) return d ?? '';
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}
