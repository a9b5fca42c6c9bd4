import { afterEach, describe, expect, it } from 'vitest';
import { resetClock, setClock } from './clock.ts';
import { ID_PATTERN, newId } from './ids.ts';
import { searchable } from './text.ts';

afterEach(() => resetClock());

describe('ids', () => {
  it('are ULIDs that sort in creation order, even within one millisecond', () => {
    setClock('2026-11-24T12:00:00.000Z');
    const ids = Array.from({ length: 1000 }, () => newId());
    for (const id of ids) expect(id).toMatch(ID_PATTERN);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it('carry the clock time', () => {
    setClock('2030-01-01T00:00:00.000Z');
    const later = newId();
    setClock('2020-01-01T00:00:00.000Z');
    expect(newId() < later).toBe(true);
  });
});

describe('searchable', () => {
  it('folds case, accents and punctuation', () => {
    expect(searchable('García-López')).toBe('garcialopez');
    expect(searchable("O'Brien")).toBe('obrien');
    expect(searchable('ZOË')).toBe('zoe');
  });
});
