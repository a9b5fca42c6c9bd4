// The table of chart kinds: the names in it that stored data and clients depend on must not drift, and every kind
// lands where the chart read, its list and the timeline look for it.
import { describe, expect, it } from 'vitest';
import { newId } from '#shared/ids.ts';
import { chartKeys } from './keys.ts';
import { CHART_KINDS, chartKind, KIND_OF_ITEM_TYPE, KINDS } from './kinds.ts';

describe('chart kinds', () => {
  it('keeps the stored, audited, addressed and shared names of every kind (items and audit records exist)', () => {
    expect(
      Object.fromEntries(
        KINDS.map((kind) => {
          const k = chartKind(kind);
          return [kind, [k.itemType, k.auditResourceType, k.segment, k.sharedAs]];
        }),
      ),
    ).toEqual({
      encounter: ['Encounter', 'Encounter', 'encounters', 'encounters'],
      note: ['ProgressNote', 'ProgressNote', 'notes', 'notes'],
      addendum: ['Addendum', 'Addendum', undefined, 'notes'],
      problem: ['Problem', 'Problem', 'problems', 'problems'],
      medication: ['Medication', 'Medication', 'medications', 'medications'],
      allergy: ['Allergy', 'Allergy', 'allergies', 'allergies'],
      vitals: ['VitalSigns', 'VitalSigns', 'vitals', 'vitals'],
      'lab-result': ['LabReport', 'LabResult', 'lab-results', 'labs'],
    });
    expect(CHART_KINDS.note.summaryItemType).toBe('ProgressNoteSummary');
    expect(KIND_OF_ITEM_TYPE.ProgressNoteSummary).toBe('note');
  });

  it('puts each addressable kind where its list reads, inside the chart range unless it is note text', () => {
    const id = newId();
    for (const kind of KINDS) {
      if (kind === 'addendum') continue;
      const { sortKey, listPrefix } = chartKind(kind);
      const sk = sortKey({ id });
      if (kind === 'note') {
        // The note's text lives outside the chart range; its list reads the summaries in the history.
        expect(sk).toBe(chartKeys.note(id));
        expect(chartKeys.noteSummary(id).startsWith(listPrefix ?? '-')).toBe(true);
      } else {
        expect(sk.startsWith(listPrefix ?? '-'), kind).toBe(true);
        expect(sk >= chartKeys.chartRange.from && sk <= chartKeys.chartRange.to, kind).toBe(true);
      }
    }
    expect(CHART_KINDS.addendum.sortKey({ id, noteId: 'N' })).toBe(chartKeys.addendum('N', id));
  });

  it('keeps an unreviewed lab result in its ordering provider’s inbox, and a reviewed one out of it', () => {
    const lab = { orderingProviderId: 'P', abnormal: true, issued: '2026-11-29T10:00:00.000Z', id: 'L' };
    const unreviewed = CHART_KINDS['lab-result'].indexKeys?.(lab as never);
    expect(unreviewed).toEqual({
      gsi1pk: chartKeys.inbox.pk('P'),
      gsi1sk: chartKeys.inbox.sk(true, lab.issued, 'L'),
    });
    const reviewed = CHART_KINDS['lab-result'].indexKeys?.({ ...lab, review: { at: lab.issued } } as never);
    expect(reviewed).toEqual({});
  });

  it('dates each kind on the timeline by when it happened clinically', () => {
    const base = { createdAt: '2026-01-01T00:00:00.000Z' };
    expect(CHART_KINDS.encounter.clinicalDate({ ...base, start: 'S' } as never)).toBe('S');
    expect(CHART_KINDS.note.clinicalDate(base as never)).toBe(base.createdAt);
    expect(CHART_KINDS.addendum.clinicalDate({ ...base, signedAt: 'A' } as never)).toBe('A');
    expect(CHART_KINDS.problem.clinicalDate({ ...base, onset: '2020-02-02' } as never)).toBe('2020-02-02');
    expect(CHART_KINDS.problem.clinicalDate(base as never)).toBe(base.createdAt);
    expect(CHART_KINDS.medication.clinicalDate({ ...base, start: '2021-03-03' } as never)).toBe('2021-03-03');
    expect(CHART_KINDS.allergy.clinicalDate(base as never)).toBe(base.createdAt);
    expect(CHART_KINDS.vitals.clinicalDate({ ...base, effective: 'E' } as never)).toBe('E');
    expect(CHART_KINDS['lab-result'].clinicalDate({ ...base, issued: 'I' } as never)).toBe('I');
  });
});
