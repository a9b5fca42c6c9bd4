// Documentation prompts: a line without a diagnosis and a diagnosis without a line are named; complete charges are not.
import { describe, expect, it } from 'vitest';
import type { ChargeLine } from './model.ts';
import { documentationPrompts } from './prompts.ts';

const line = (code: string, diagnosisPointers: number[]): ChargeLine => ({
  code,
  modifiers: [],
  units: 1,
  charge: 100,
  serviceDate: '2026-11-02',
  placeOfService: '11',
  diagnosisPointers,
});

describe('documentation prompts', () => {
  it('say nothing when every line points to a diagnosis and every diagnosis is pointed to', () => {
    expect(documentationPrompts({ diagnoses: ['E11.9', 'I10'], lines: [line('99214', [1, 2])] })).toEqual([]);
  });

  it('name each line without a pointer and each diagnosis no line uses', () => {
    const prompts = documentationPrompts({
      diagnoses: ['E11.9', 'I10', 'E78.5'],
      lines: [line('99214', [1]), line('82947', [])],
    });
    expect(prompts.map((p) => p.field)).toEqual([
      'lines[1].diagnosisPointers',
      'diagnoses[1]',
      'diagnoses[2]',
    ]);
  });

  it('name the missing diagnoses when lines have none to point to', () => {
    expect(documentationPrompts({ diagnoses: [], lines: [line('99214', [])] }).map((p) => p.field)).toEqual([
      'diagnoses',
      'lines[0].diagnosisPointers',
    ]);
  });
});
