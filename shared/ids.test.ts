// ULIDs: the clock's time in the first ten characters, order kept within a millisecond, never a repeat.
import * as crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetClock, setClock } from './clock.ts';
import { ID_PATTERN, newId } from './ids.ts';
import { searchable } from './text.ts';

// randomBytes stays real unless a test asks for chosen bytes.
vi.mock('node:crypto', async (original) => {
  const real = await original<typeof import('node:crypto')>();
  return { ...real, randomBytes: vi.fn(real.randomBytes) };
});

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

describe('the time part', () => {
  it('encodes the clock in Crockford base32, as the ULID specification’s example does', () => {
    setClock(1_469_918_176_385);
    expect(newId().slice(0, 10)).toBe('01ARYZ6S41');
    setClock(0);
    expect(newId().slice(0, 10)).toBe('0000000000');
    setClock(Date.parse('2026-11-24T12:00:00.000Z'));
    const id = newId();
    const decoded = [...id.slice(0, 10)].reduce(
      (t, c) => t * 32 + '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c),
      0,
    );
    expect(decoded).toBe(Date.parse('2026-11-24T12:00:00.000Z'));
  });
});

describe('the random part', () => {
  it('counts up by one within a millisecond, carrying like an odometer', () => {
    setClock('2026-11-24T12:00:01.000Z');
    vi.mocked(crypto.randomBytes).mockReturnValueOnce(Buffer.from([...Array(14).fill(0), 0, 30]) as never);
    const ids = [newId(), newId(), newId(), newId()].map((id) => id.slice(10));
    expect(ids).toEqual(['000000000000000Y', '000000000000000Z', '0000000000000010', '0000000000000011']);
  });

  it('carries into the first random digit', () => {
    setClock('2026-11-24T12:00:03.000Z');
    vi.mocked(crypto.randomBytes).mockReturnValueOnce(Buffer.from([0, ...Array(15).fill(31)]) as never);
    expect([newId(), newId()].map((id) => id.slice(10))).toEqual(['0ZZZZZZZZZZZZZZZ', '1000000000000000']);
  });

  it('starts afresh in a new millisecond, and refuses to wrap round within one', () => {
    setClock('2026-11-24T12:00:02.000Z');
    // Bytes of 255 are base32 digits of 31: the largest random part there is.
    vi.mocked(crypto.randomBytes).mockReturnValueOnce(Buffer.alloc(16, 255) as never);
    expect(newId().slice(10)).toBe('ZZZZZZZZZZZZZZZZ');
    expect(() => newId()).toThrow(/overflowed within one millisecond/);
    setClock('2026-11-24T12:00:02.001Z');
    expect(newId()).toMatch(ID_PATTERN);
  });
});

describe('ID_PATTERN', () => {
  it('matches a whole id only: nothing before or after it, no lower case, no I, L, O or U', () => {
    setClock('2026-11-24T12:00:04.000Z');
    const id = newId();
    expect(ID_PATTERN.test(id)).toBe(true);
    for (const bad of [
      `x${id}`,
      `${id}x`,
      ` ${id}`,
      `${id}\n`,
      id.slice(1),
      id.toLowerCase(),
      `${id.slice(0, 25)}I`,
      `${id.slice(0, 25)}U`,
    ])
      expect(ID_PATTERN.test(bad), bad).toBe(false);
  });
});

describe('searchable', () => {
  it('folds case, accents and punctuation', () => {
    expect(searchable('García-López')).toBe('garcialopez');
    expect(searchable("O'Brien")).toBe('obrien');
    expect(searchable('ZOË')).toBe('zoe');
  });
});
