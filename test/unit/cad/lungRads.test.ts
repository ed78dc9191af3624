import { describe, expect, it } from 'vitest';
import { lungRadsExam, lungRadsNodule } from '../../../src-main/cad/lungRads';
import type { LungRadsNoduleInput } from '../../../src-main/cad/lungRads';

// Thresholds from the ACR Lung-RADS v2022 table (see the header of src-main/cad/lungRads.ts).
const table: [string, LungRadsNoduleInput, string][] = [
  ['solid 5.9 baseline', { type: 'solid', diameterMm: 5.9 }, '2'],
  ['solid 6.0 baseline', { type: 'solid', diameterMm: 6.0 }, '3'],
  ['solid 7.9 baseline', { type: 'solid', diameterMm: 7.9 }, '3'],
  ['solid 8.0 baseline', { type: 'solid', diameterMm: 8.0 }, '4A'],
  ['solid 14.9 baseline', { type: 'solid', diameterMm: 14.9 }, '4A'],
  ['solid 15.0 baseline', { type: 'solid', diameterMm: 15.0 }, '4B'],
  ['solid 3.9 new', { type: 'solid', diameterMm: 3.9, status: 'new' }, '2'],
  ['solid 4.0 new', { type: 'solid', diameterMm: 4.0, status: 'new' }, '3'],
  ['solid 6.0 new', { type: 'solid', diameterMm: 6.0, status: 'new' }, '4A'],
  ['solid 8.0 new', { type: 'solid', diameterMm: 8.0, status: 'new' }, '4B'],
  ['solid growing 5.0 from 3.4', { type: 'solid', diameterMm: 5.0, priorDiameterMm: 3.4 }, '4A'],
  ['solid growing 9.0 from 7.0', { type: 'solid', diameterMm: 9.0, priorDiameterMm: 7.0 }, '4B'],
  ['solid 9.0 vs prior 7.5 (1.5 mm is not growth)', { type: 'solid', diameterMm: 9.0, priorDiameterMm: 7.5 }, '2'],
  ['solid 9.0 stable, prior 4A: stepped to 3', { type: 'solid', diameterMm: 9.0, priorDiameterMm: 9.0, priorCategory: '4A' }, '3'],
  ['solid 7.0 stable, prior 3: stepped to 2', { type: 'solid', diameterMm: 7.0, priorDiameterMm: 6.8, priorCategory: '3' }, '2'],
  ['solid 16 stable, prior 4B: not stepped down', { type: 'solid', diameterMm: 16, priorDiameterMm: 16, priorCategory: '4B' }, '4B'],
  ['perifissural solid 9 mm', { type: 'solid', diameterMm: 9, perifissural: true }, '2'],
  ['calcified 20 mm', { type: 'solid', diameterMm: 20, calcified: true }, '1'],
  ['part-solid 5.9 total', { type: 'part-solid', diameterMm: 5.9, solidComponentMm: 3 }, '2'],
  ['part-solid 6 total, solid 5.9', { type: 'part-solid', diameterMm: 6, solidComponentMm: 5.9 }, '3'],
  ['part-solid solid 6.0', { type: 'part-solid', diameterMm: 12, solidComponentMm: 6.0 }, '4A'],
  ['part-solid solid 8.0', { type: 'part-solid', diameterMm: 12, solidComponentMm: 8.0 }, '4B'],
  ['part-solid new 5 total', { type: 'part-solid', diameterMm: 5, solidComponentMm: 2, status: 'new' }, '3'],
  ['part-solid new, solid 3.9', { type: 'part-solid', diameterMm: 10, solidComponentMm: 3.9, status: 'new' }, '4A'],
  ['part-solid new, solid 4.0', { type: 'part-solid', diameterMm: 10, solidComponentMm: 4.0, status: 'new' }, '4B'],
  ['ground-glass 29.9', { type: 'ground-glass', diameterMm: 29.9 }, '2'],
  ['ground-glass 30', { type: 'ground-glass', diameterMm: 30 }, '3'],
  ['ground-glass 35 unchanged', { type: 'ground-glass', diameterMm: 35, priorDiameterMm: 35 }, '2'],
];

describe('Lung-RADS v2022 nodule categories', () => {
  it.each(table)('%s', (_name, input, expected) => {
    const res = lungRadsNodule(input);
    expect(res.category).toBe(expected);
    expect(res.reason.length).toBeGreaterThan(5);
  });

  it('rejects a part-solid nodule without its solid component', () => {
    expect(() => lungRadsNodule({ type: 'part-solid', diameterMm: 10 })).toThrow(/solid component/);
  });
});

describe('Lung-RADS exam category', () => {
  it('is 1 without nodules and the most suspicious nodule otherwise', () => {
    expect(lungRadsExam([]).category).toBe('1');
    const exam = lungRadsExam([{ type: 'solid', diameterMm: 5 }, { type: 'part-solid', diameterMm: 12, solidComponentMm: 7 }, { type: 'solid', diameterMm: 7 }]);
    expect(exam.category).toBe('4A');
    expect(exam.reason).toMatch(/solid component 7 mm/);
    expect(lungRadsExam([], { incomplete: true }).category).toBe('0');
  });
});
