import { describe, expect, it } from 'vitest';
import { isValidNpi } from './npi.ts';
import { isTimeZone, localParts, utcDaysOf, weekdayOf, zonedToInstant } from './time.ts';

const iso = (ms: number) => new Date(ms).toISOString();

describe('zonedToInstant across daylight-saving changes (America/New_York)', () => {
  const tz = 'America/New_York';
  it('uses EST before and EDT after the March change', () => {
    expect(iso(zonedToInstant('2026-03-07', '08:00', tz))).toBe('2026-03-07T13:00:00.000Z');
    expect(iso(zonedToInstant('2026-03-08', '08:00', tz))).toBe('2026-03-08T12:00:00.000Z');
  });
  it('maps a skipped time (02:30 on 8 March 2026) to just after the gap', () => {
    expect(iso(zonedToInstant('2026-03-08', '02:30', tz))).toBe('2026-03-08T07:30:00.000Z');
  });
  it('uses EDT before and EST after the November change, the first of a repeated time', () => {
    expect(iso(zonedToInstant('2026-10-31', '08:00', tz))).toBe('2026-10-31T12:00:00.000Z');
    expect(iso(zonedToInstant('2026-11-01', '08:00', tz))).toBe('2026-11-01T13:00:00.000Z');
    expect(iso(zonedToInstant('2026-11-01', '01:30', tz))).toBe('2026-11-01T05:30:00.000Z');
  });
  it('reads instants back as local dates and minutes', () => {
    expect(localParts(Date.parse('2026-11-01T13:00:00Z'), tz)).toMatchObject({
      date: '2026-11-01',
      minutes: 480,
    });
  });
});

describe('calendar helpers', () => {
  it('knows weekdays, zones and the UTC days an interval touches', () => {
    expect(weekdayOf('2026-11-24')).toBe('tue');
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(utcDaysOf(Date.parse('2026-11-24T23:30:00Z'), Date.parse('2026-11-25T00:30:00Z'))).toEqual([
      '2026-11-24',
      '2026-11-25',
    ]);
    expect(utcDaysOf(Date.parse('2026-11-24T23:00:00Z'), Date.parse('2026-11-25T00:00:00Z'))).toEqual([
      '2026-11-24',
    ]);
  });
});

describe('NPI', () => {
  it('accepts a valid check digit and rejects others', () => {
    expect(isValidNpi('1234567893')).toBe(true);
    expect(isValidNpi('1234567890')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
    expect(isValidNpi('12345678a3')).toBe(false);
  });
});
