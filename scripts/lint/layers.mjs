// The layer map of src-main: which top-level folder may import which. One source for the lint rule below, its
// proof test (test/unit/lint/layers.test.ts) and docs/ARCHITECTURE.md (a test checks the document matches).
// A folder imports itself freely; anything not listed is refused. A new folder must be added here first.
export const LAYERS = {
  shared: [],
  dicom: ['shared'],
  formats: ['shared', 'dicom'],
  cad: ['shared'],
  eval: ['shared', 'formats'],
  store: ['shared'],
  net: ['shared', 'dicom'],
  services: ['shared', 'dicom', 'formats', 'store', 'cad', 'eval', 'net'],
  workers: ['shared', 'dicom', 'formats', 'store', 'cad', 'services'],
  server: ['shared', 'services', 'store'],
  app: ['shared', 'services', 'server', 'store'],
  cli: ['shared', 'dicom', 'formats', 'store', 'cad', 'eval', 'net', 'services', 'server'],
};
