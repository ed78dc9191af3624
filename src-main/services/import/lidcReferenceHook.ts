// After a series is imported, LIDC-IDRI reader XML lying beside its files becomes reference findings (source
// 'reference'): the radiologists' outlines, in LPS, drawn by the viewer like any other finding. Re-importing
// replaces them, so the index never holds two copies of the same reads.
import fs from 'node:fs';
import path from 'node:path';
import type { AfterSeriesImported } from './hookTypes';
import { parseLidcXml } from '../../formats/lidcXml';
import { lidcReferenceFindings } from '../../formats/lidcReference';
import { replaceReferenceFindings } from '../../store/findings';

export const importLidcReferenceReads: AfterSeriesImported = (ctx, info, files) => {
  if (!info.volumeId || !info.geometry) return;
  const dirs = new Set(files.map((f) => path.dirname(f)));
  const xmlFiles = [...dirs].flatMap((d) =>
    fs
      .readdirSync(d)
      .filter((n) => n.toLowerCase().endsWith('.xml'))
      .map((n) => path.join(d, n)),
  );
  const slices = Object.keys(info.sopToFile).map((sopInstanceUID) => ({ sopInstanceUID, z: NaN }));
  for (const file of xmlFiles) {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('LidcReadMessage') && !text.includes('readingSession')) continue; // some other XML
    const read = parseLidcXml(text, file);
    if (read.seriesInstanceUID && read.seriesInstanceUID !== info.seriesInstanceUID) continue;
    const volumeId = info.volumeId;
    const findings = lidcReferenceFindings(read, info.geometry, { seriesInstanceUID: info.seriesInstanceUID, slices }).map((f) => ({
      ...f,
      id: `${volumeId}-${f.id}`, // finding ids are global; the parser numbers nodules per file
    }));
    replaceReferenceFindings(ctx.db, volumeId, findings);
  }
};
