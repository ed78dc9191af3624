// The PDF report (pdfkit, a maintained PDF library): patient/study header, reader and reading mode, a key image
// of each reported nodule with its outline and scale, the measurement table, exam Lung-RADS and recommendation,
// model versions and the research-use notice. Pure: ReportInput + volume → PDF bytes.
import PDFDocument from 'pdfkit';
import type { HuVolume } from '../../shared/geometry';
import { REJECT_REASON_TEXT } from '../../shared/readTypes';
import { RESEARCH_NOTICE, reportedNodules, type ReportInput } from '../reportInput';
import { keyImage } from './keyImage';

const fmt = (v: number | null | undefined, d = 1): string => (v === null || v === undefined ? '—' : v.toFixed(d));
const dicomDateText = (d: string | null): string => (d && /^\d{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : '—');

export function writePdf(input: ReportInput, vol: HuVolume): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: 'Pulmo lung nodule report', Producer: `${input.device.name} ${input.device.version}`, Creator: input.device.name, CreationDate: input.contentDateTime } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const W = doc.page.width - 80;
  doc.font('Helvetica-Bold').fontSize(16).text('Lung nodule report (CT chest)');
  doc.font('Helvetica').fontSize(8).fillColor('#a00').text(RESEARCH_NOTICE).fillColor('black').moveDown(0.5);
  const p = input.patient;
  const s = input.study;
  doc.fontSize(10);
  doc.text(`Patient: ${p.patientName || '—'}    ID: ${p.patientId || '—'}    Born: ${dicomDateText(p.birthDate)}    Sex: ${p.sex ?? '—'}`);
  doc.text(`Study: ${dicomDateText(s.studyDate)}  ${s.description ?? ''}    Accession: ${s.accessionNumber ?? '—'}`);
  doc.text(`Series: ${input.series.seriesInstanceUID}`);
  if (input.read) {
    const r = input.read;
    doc.text(`Reader: ${r.reader.name} (${r.reader.role})    Reading mode: ${r.mode}    ${r.signedAt ? `Signed ${r.signedAt.replace('T', ' ').slice(0, 19)} UTC, version ${r.version}` : 'not signed'}`);
  } else {
    doc.font('Helvetica-Bold').text('NOT REVIEWED: CAD findings at the run operating point; no reader has accepted or rejected them.').font('Helvetica');
  }
  doc.text(`Coordinates: DICOM patient coordinates (LPS), millimetres.${input.deidentified ? '    De-identified (PS3.15 basic profile).' : ''}`);
  doc.moveDown(0.5);

  const c = input.conclusion;
  doc.font('Helvetica-Bold').fontSize(12).text(`Exam Lung-RADS v2022: ${c?.category ? `${c.category}${c.sModifier ? ' S' : ''}` : 'not categorised'}`);
  doc.font('Helvetica').fontSize(10);
  if (c) {
    doc.text(`Recommendation: ${c.recommendation || '—'}`);
    doc.text(`Basis: ${c.reason}`);
    if (c.sModifier && c.sText) doc.text(`S modifier: ${c.sText}`);
    if (c.impression) doc.text(`Impression: ${c.impression}`);
  }
  doc.moveDown(0.5);

  // Measurement table.
  const cols = [['Nodule', 60], ['Decision', 60], ['Centre LPS (mm)', 110], ['Diam. mm', 45], ['Long/short mm', 65], ['Volume mm³', 55], ['Mean HU', 40], ['Type', 55], ['LR', 25]] as const;
  const row = (cells: string[], bold = false): void => {
    const y = doc.y;
    let x = 40;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8);
    cells.forEach((t, i) => {
      doc.text(t, x, y, { width: cols[i][1] - 4, lineBreak: false, ellipsis: true });
      x += cols[i][1];
    });
    doc.x = 40;
    doc.y = y + 12;
  };
  row(cols.map((c2) => c2[0]), true);
  for (const n of input.nodules) {
    const f = n.finding;
    const decision = n.decision === 'rejected' ? `rejected: ${n.rejectReason ? REJECT_REASON_TEXT[n.rejectReason] : ''}` : n.decision;
    row([f.label, decision, f.centerLPS.map((x) => x.toFixed(1)).join(', '), fmt(f.diameterMm), `${fmt(f.longAxisMm)} / ${fmt(f.shortAxisMm)}`, fmt(f.volumeMm3, 0), fmt(f.meanHU, 0), f.type ?? '—', f.lungRads ?? '—']);
  }
  doc.moveDown(0.5);
  const models = input.device.models.map((m) => `${m.id} ${m.version}`).join(', ');
  doc.fontSize(8).text(`Software: ${input.device.name} ${input.device.version}. Models: ${models || 'none recorded'}. Brock (PanCan) probabilities where shown are computed with family history, emphysema and spiculation as recorded per nodule.`, 40, doc.y, { width: W });
  doc.moveDown(0.5);

  // Key images, two per row.
  const shown = reportedNodules(input);
  let col = 0;
  for (const n of shown) {
    const img = keyImage(vol, n);
    const side = 200;
    if (doc.y + side + 30 > doc.page.height - 40) {
      doc.addPage();
      col = 0;
    }
    const x = 40 + col * (side + 40);
    const y = doc.y;
    doc.image(img.png, x, y, { width: side, height: side });
    const barPts = (img.scaleBarMm / img.mmPerPixel) * (side / img.size);
    doc.fontSize(8).text(`${n.finding.label}: axial slice ${img.slice + 1}, ${n.finding.diameterMm ?? '—'} mm${n.mask ? '' : ' (no stored outline)'}; bar ${img.scaleBarMm} mm (${barPts.toFixed(0)} pt)`, x, y + side + 2, { width: side });
    if (col === 1) {
      doc.y = y + side + 28;
      col = 0;
    } else {
      doc.y = y;
      col = 1;
    }
  }
  doc.end();
  return done;
}
