import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseLdfcCsv } from '../../../src-main/formats/ldfc/annotations';
import { parseCsv, canonicalScanId } from '../../../src-main/formats/ldfc/csv';
import { cancerTypeIndex, CANCER_TYPES } from '../../../src-main/formats/ldfc/cancerType';
import { parseVocXml, readVocDir } from '../../../src-main/formats/ldfc/vocXml';
import { readClassificationFolder } from '../../../src-main/formats/ldfc/classificationFolder';
import { classificationFolder, csv, vocXml, write } from '../../fixtures/ldfc/ldfcFixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-ldfc-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('LDFC CSV', () => {
  it('reads quoted fields, CRLF, a BOM and keeps line numbers', () => {
    const t = parseCsv('\ufeffa,b\r\n"x, ""y""",2\r\n\r\n3,4\r\n', 'f.csv');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([{ line: 2, cells: ['x, "y"', '2'] }, { line: 4, cells: ['3', '4'] }]);
    expect(() => parseCsv('a,b\n1\n', 'f.csv')).toThrow('f.csv:2: 1 fields, the header has 2');
  });

  it('reads all_anno_3D.csv (image coordinates) with the centre computed from min/max when absent', () => {
    const text = csv(['index', 'image', 'x_min', 'x_max', 'y_min', 'y_max', 'z_min', 'z_max'], [['0001', 'a.bmp', 10, 20, 30, 36, 4, 8]]);
    const r = parseLdfcCsv(text, 'all_anno_3D.csv');
    expect(r.kind).toBe('image3d');
    if (r.kind !== 'image3d') return;
    expect(r.nodules[0]).toEqual({ scanId: '1', line: 2, image: 'a.bmp', centerXyz: [15, 33, 6], min: [10, 30, 4], max: [20, 36, 8], diameterPx: null });
  });

  it('reads anno_WorldCoord.csv with differently spelled headers, diameter from radius when only that is given', () => {
    const a = parseLdfcCsv(csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'diameter_mm'], [[3, -10.5, 20, -300, 8]]), 'w.csv');
    const b = parseLdfcCsv(csv(['Index', 'X Center', 'Y Center', 'Z Center', 'Radius'], [[3, -10.5, 20, -300, 4]]), 'w.csv');
    for (const r of [a, b]) {
      expect(r.kind).toBe('world');
      if (r.kind === 'world') expect(r.nodules).toEqual([{ scanId: '3', line: 2, centerLPS: [-10.5, 20, -300], diameterMm: 8 }]);
    }
  });

  it('names the missing column, the file and the line of a bad cell', () => {
    expect(() => parseLdfcCsv(csv(['seriesuid', 'coordX', 'coordY', 'diameter'], [[1, 2, 3, 4]]), 'w.csv')).toThrow(/w\.csv: no z centre column .*header has seriesuid, coordX, coordY, diameter/);
    expect(() => parseLdfcCsv(csv(['seriesuid', 'coordX', 'coordY', 'coordZ'], [[1, 2, 3, 4]]), 'w.csv')).toThrow('w.csv: no diameter');
    expect(() => parseLdfcCsv(csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'diameter'], [[1, 2, 3, 4, 5], [1, 2, 'abc', 4, 5]]), 'w.csv')).toThrow('w.csv:3: column coordY is not a number ("abc")');
    expect(() => parseLdfcCsv(csv(['foo', 'bar'], [[1, 2]]), 'x.csv')).toThrow(/x\.csv: not an LDFC annotation CSV/);
  });

  it('maps cancer-type labels as the descriptor defines them: 0 benign, 1 AC, 2 SCC', () => {
    expect(CANCER_TYPES).toEqual(['benign', 'AC', 'SCC']);
    expect(['0', '1', '2', '1.0', 'Benign', 'ACC', 'adenocarcinoma', 'SCC', 'squamous cell carcinoma'].map(cancerTypeIndex)).toEqual([0, 1, 2, 1, 0, 1, 1, 2, 2]);
    expect(cancerTypeIndex('3')).toBeNull();
    const r = parseLdfcCsv(csv(['image', 'label'], [['0012.bmp', 2], ['13', 'AC']]), 'l.csv');
    expect(r.kind === 'labels' && r.labels).toEqual([{ id: '12', line: 2, label: 2 }, { id: '13', line: 3, label: 1 }]);
    expect(() => parseLdfcCsv(csv(['image', 'label'], [['1', 'malignant']]), 'l.csv')).toThrow('l.csv:2: unknown cancer type "malignant"');
    expect(canonicalScanId('0007')).toBe('7');
  });
});

describe('Pascal VOC XML', () => {
  it('reads filename, size and every bndbox', () => {
    const a = parseVocXml(vocXml('175.bmp', [{ xmin: 145, ymin: 123, xmax: 171, ymax: 149 }, { name: 'mass', xmin: 1, ymin: 2, xmax: 3, ymax: 4 }]), 'a.xml');
    expect(a).toMatchObject({ filename: '175.bmp', imageId: '175', width: 512, height: 512, depth: 3 });
    expect(a.objects).toEqual([
      { name: 'nodule', xmin: 145, ymin: 123, xmax: 171, ymax: 149, difficult: false },
      { name: 'mass', xmin: 1, ymin: 2, xmax: 3, ymax: 4, difficult: false },
    ]);
  });

  it('gives the line of a bad coordinate and refuses a non-VOC file', () => {
    const xml = vocXml('1.bmp', [{ xmin: 1, ymin: 2, xmax: 3, ymax: 4 }]).replace('<ymax>4</ymax>', '<ymax>four</ymax>');
    const line = xml.split('\n').findIndex((l) => l.includes('four')) + 1;
    expect(() => parseVocXml(xml, 'bad.xml')).toThrow(`bad.xml:${line}: <ymax> is not a number ("four")`);
    expect(() => parseVocXml('<LidcReadMessage/>', 'x.xml')).toThrow('x.xml: not a Pascal VOC annotation');
    expect(() => parseVocXml(vocXml('1.bmp', [{ xmin: 5, ymin: 2, xmax: 3, ymax: 4 }]), 'm.xml')).toThrow(/m\.xml:\d+: <bndbox> has max < min/);
  });

  it('reads a folder and refuses two files for one image', () => {
    const dir = path.join(tmp, 'Annotations');
    write(path.join(dir, '1.xml'), vocXml('1.bmp', [{ xmin: 0, ymin: 0, xmax: 5, ymax: 5 }]));
    write(path.join(dir, '2.xml'), vocXml('2.bmp', []));
    expect(readVocDir(dir).map((a) => [a.imageId, a.objects.length])).toEqual([['1', 1], ['2', 0]]);
    write(path.join(dir, 'sub', 'dup.xml'), vocXml('0002.bmp', []));
    expect(() => readVocDir(dir)).toThrow(/image "0002\.bmp" is also annotated in .*2\.xml/);
  });
});

describe('BMP_classification folders', () => {
  it('labels each image by its class folder', () => {
    const root = classificationFolder(path.join(tmp, 'cls'), 'test', { '0': ['a', 'b'], '1': ['c'], '2': ['d'] });
    expect(readClassificationFolder(root).map((r) => [r.id, r.label])).toEqual([['a', 0], ['b', 0], ['c', 1], ['d', 2]]);
  });
});
