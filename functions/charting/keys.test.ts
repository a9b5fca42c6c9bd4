// The sort-key layout the chart read relies on (docs/charting.md, "The chart read").
import { describe, expect, it } from 'vitest';
import { resetClock, setClock } from '#shared/clock.ts';
import { newId } from '#shared/ids.ts';
import { chartKeys, newestFirst } from './keys.ts';

describe('chart sort keys', () => {
  it('orders history newest first and reverses exactly', () => {
    setClock('2021-01-01T00:00:00Z');
    const older = newId();
    setClock('2026-06-01T00:00:00Z');
    const newer = newId();
    resetClock();
    expect(newestFirst(newer) < newestFirst(older)).toBe(true);
    expect(chartKeys.noteSummary(newer) < chartKeys.encounter(older)).toBe(true);
    expect(newestFirst(newestFirst(older))).toBe(older);
  });

  it('puts every current-state item before any history, all inside the chart range; note text outside it', () => {
    const id = newId();
    const state = [
      chartKeys.allergy(id),
      chartKeys.allergyList,
      chartKeys.medication(id),
      chartKeys.profile,
      chartKeys.problem(id),
    ];
    const history = [
      chartKeys.encounter(id),
      chartKeys.noteSummary(id),
      chartKeys.vitals(id),
      chartKeys.labResult(id),
    ];
    const { from, to } = chartKeys.chartRange;
    for (const s of state) {
      for (const h of history) expect(s < h, `${s} < ${h}`).toBe(true);
    }
    for (const key of [...state, ...history]) expect(key >= from && key <= to, key).toBe(true);
    // Note text and addenda stay out of the chart read; a note and its addenda are one prefix.
    for (const key of [chartKeys.note(id), chartKeys.addendum(id, id)]) expect(key > to, key).toBe(true);
    expect(chartKeys.addendum(id, id).startsWith(chartKeys.note(id))).toBe(true);
  });
});
