// Parser for the LIDC-IDRI reader XML (LidcReadMessage): per reading session (one radiologist), the nodules
// >= 3 mm (an outline per slice, `roi` with imageZposition, imageSOP_UID, inclusion and edgeMap pixel points,
// plus the nine rated characteristics), nodules < 3 mm (one roi with a single point) and non-nodules (a locus).
// The schema is flat and regular, so a small tag scanner is enough; malformed input throws with the reason.

export interface LidcRoi {
  z: number; // imageZposition (mm, LPS z of the slice)
  sopInstanceUID: string;
  /** FALSE marks an exclusion (a hole) rather than the nodule outline. */
  inclusion: boolean;
  /** Pixel coordinates: x = column, y = row. */
  points: [number, number][];
}

export interface LidcNodule {
  id: string;
  /** subtlety, internalStructure, calcification, sphericity, margin, lobulation, spiculation, texture, malignancy (1-5/6). */
  characteristics: Record<string, number>;
  rois: LidcRoi[];
  /** true for a nodule < 3 mm (a single point, no characteristics). */
  small: boolean;
}

export interface LidcNonNodule {
  id: string;
  z: number;
  sopInstanceUID: string;
  point: [number, number];
}

export interface LidcReadingSession {
  readerId: string;
  nodules: LidcNodule[];
  nonNodules: LidcNonNodule[];
}

export interface LidcRead {
  seriesInstanceUID: string | null;
  studyInstanceUID: string | null;
  sessions: LidcReadingSession[];
}

export function parseLidcXml(xml: string, source = 'LIDC XML'): LidcRead {
  if (!/<LidcReadMessage[\s>]/.test(xml)) throw new Error(`${source}: not an LIDC read message (no <LidcReadMessage> root)`);
  const sessions = blocks(xml, 'readingSession').map((s, si) => {
    const readerId = text(s, 'servicingRadiologistID') ?? `reader-${si + 1}`;
    const nodules = blocks(s, 'unblindedReadNodule').map((n, ni) => parseNodule(n, `${source}: session ${si + 1} nodule ${ni + 1}`));
    const nonNodules = blocks(s, 'nonNodule').map((n, ni): LidcNonNodule => {
      const where = `${source}: session ${si + 1} non-nodule ${ni + 1}`;
      const locus = blocks(n, 'locus')[0] ?? '';
      return {
        id: text(n, 'nonNoduleID') ?? `non-nodule-${ni + 1}`,
        z: num(text(n, 'imageZposition'), `${where} imageZposition`),
        sopInstanceUID: text(n, 'imageSOP_UID') ?? '',
        point: [num(text(locus, 'xCoord'), `${where} xCoord`), num(text(locus, 'yCoord'), `${where} yCoord`)],
      };
    });
    return { readerId, nodules, nonNodules };
  });
  return { seriesInstanceUID: text(xml, 'SeriesInstanceUid'), studyInstanceUID: text(xml, 'StudyInstanceUID'), sessions };
}

function parseNodule(n: string, where: string): LidcNodule {
  const charBlock = blocks(n, 'characteristics')[0];
  const characteristics: Record<string, number> = {};
  if (charBlock) {
    for (const m of charBlock.matchAll(/<(\w+)>\s*([-\d.]+)\s*<\/\1>/g)) characteristics[m[1]] = Number(m[2]);
  }
  const rois = blocks(n, 'roi').map((r, ri): LidcRoi => ({
    z: num(text(r, 'imageZposition'), `${where} roi ${ri + 1} imageZposition`),
    sopInstanceUID: text(r, 'imageSOP_UID') ?? '',
    inclusion: (text(r, 'inclusion') ?? 'TRUE').toUpperCase() !== 'FALSE',
    points: blocks(r, 'edgeMap').map((e, ei) => [num(text(e, 'xCoord'), `${where} roi ${ri + 1} point ${ei + 1} x`), num(text(e, 'yCoord'), `${where} roi ${ri + 1} point ${ei + 1} y`)]),
  }));
  const small = Object.keys(characteristics).length === 0 && rois.length === 1 && rois[0].points.length === 1;
  return { id: text(n, 'noduleID') ?? 'nodule', characteristics, rois, small };
}

/** Inner texts of every <tag>...</tag> (not nested in itself, which holds for this schema). */
function blocks(xml: string, tag: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`, 'g');
  for (const m of xml.matchAll(re)) out.push(m[1]);
  return out;
}

function text(xml: string, tag: string): string | null {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? m[1].trim() : null;
}

function num(s: string | null, what: string): number {
  const v = s === null ? NaN : Number(s);
  if (!Number.isFinite(v)) throw new Error(`${what}: not a number (${s === null ? 'missing' : JSON.stringify(s)})`);
  return v;
}
