// LDFC cancer-type labels. The data descriptor (Jian et al., Sci Data 2024, "A Lung Nodule Dataset with
// Histopathology-based Cancer Type Annotation"), section "Data Records", paragraph on BMP_classification.zip:
//   "three subfolders denoted as '0', '1', and '2' ... '0', '1', and '2' correspond to 'Benign', 'ACC', and
//   'SCC' classifications, respectively."
// Ambiguities, stated rather than guessed away:
//  - "ACC" there is read as adenocarcinoma (AC): the abstract and contribution 2 name the classes benign,
//    Adenocarcinoma (AC) and Squamous Cell Carcinoma (SCC), and no other "ACC" class exists.
//  - That mapping is given only for the classification folders. The descriptor says cancer types "were converted
//    to integer character labels" but gives no mapping for any CSV, and its CSV files (all_anno_3D.csv,
//    anno_WorldCoord.csv) are described without a cancer-type column. Integer labels in a CSV are read with
//    the folder mapping; a CSV may spell the class out instead ("benign", "AC", "adenocarcinoma", ...).
// The order benign < AC < SCC is also the order in which the descriptor's QWK (Technical Validation, Table 1)
// weighs disagreements; we keep it.

export const CANCER_TYPES = ['benign', 'AC', 'SCC'] as const;

const BY_NAME: Record<string, number> = {
  '0': 0, benign: 0, b: 0, nonmalignant: 0, noncancer: 0,
  '1': 1, ac: 1, acc: 1, adenocarcinoma: 1, adc: 1,
  '2': 2, scc: 2, squamous: 2, squamouscellcarcinoma: 2, sqcc: 2,
};

/** Class index 0..2 of a label as written in an LDFC folder name or CSV cell, or null if not recognised. */
export function cancerTypeIndex(raw: string): number | null {
  const key = raw.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
  const numeric = /^\d+(\.0+)?$/.test(raw.trim()) ? String(Number(raw.trim())) : key;
  return BY_NAME[numeric] ?? null;
}

export function cancerTypeOrThrow(raw: string, where: string): number {
  const i = cancerTypeIndex(raw);
  if (i === null) throw new Error(`${where}: unknown cancer type "${raw}" (LDFC uses 0 = benign, 1 = AC, 2 = SCC)`);
  return i;
}
