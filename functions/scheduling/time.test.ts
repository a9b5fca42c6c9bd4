// Wall-clock time ↔ instants in IANA zones east and west of UTC, across both daylight-saving changes.
import { describe, expect, it } from 'vitest';
import {
  datesBetween,
  isTimeZone,
  localParts,
  offsetMinutes,
  utcDaysOf,
  utcHoursOf,
  weekdayOf,
  zonedToInstant,
} from './time.ts';

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

// Each zone's change in 2026, east and west of UTC, north and south. A repeated time (fall back) is its first
// occurrence, so an 02:30 appointment is not silently moved an hour later; a skipped time moves forward by the gap.
describe.each([
  {
    zone: 'Europe/Paris',
    fallBack: { date: '2026-10-25', repeated: '02:30', first: '2026-10-25T00:30:00.000Z' },
    fallBackEdges: [
      ['02:00', '2026-10-25T00:00:00.000Z'],
      ['02:59', '2026-10-25T00:59:00.000Z'],
      ['01:59', '2026-10-24T23:59:00.000Z'],
      ['03:00', '2026-10-25T02:00:00.000Z'],
    ],
    springForward: { date: '2026-03-29', skipped: '02:30', after: '2026-03-29T01:30:00.000Z' },
    springEdges: [
      ['01:59', '2026-03-29T00:59:00.000Z'],
      ['03:00', '2026-03-29T01:00:00.000Z'],
    ],
  },
  {
    zone: 'America/New_York',
    fallBack: { date: '2026-11-01', repeated: '01:30', first: '2026-11-01T05:30:00.000Z' },
    fallBackEdges: [
      ['01:00', '2026-11-01T05:00:00.000Z'],
      ['00:59', '2026-11-01T04:59:00.000Z'],
      ['02:00', '2026-11-01T07:00:00.000Z'],
    ],
    springForward: { date: '2026-03-08', skipped: '02:30', after: '2026-03-08T07:30:00.000Z' },
    springEdges: [
      ['01:59', '2026-03-08T06:59:00.000Z'],
      ['03:00', '2026-03-08T07:00:00.000Z'],
    ],
  },
  {
    zone: 'Australia/Sydney',
    fallBack: { date: '2026-04-05', repeated: '02:30', first: '2026-04-04T15:30:00.000Z' },
    fallBackEdges: [
      ['02:00', '2026-04-04T15:00:00.000Z'],
      ['03:00', '2026-04-04T17:00:00.000Z'],
    ],
    springForward: { date: '2026-10-04', skipped: '02:30', after: '2026-10-03T16:30:00.000Z' },
    springEdges: [
      ['01:59', '2026-10-03T15:59:00.000Z'],
      ['03:00', '2026-10-03T16:00:00.000Z'],
    ],
  },
])('zonedToInstant in $zone', ({ zone, fallBack, fallBackEdges, springForward, springEdges }) => {
  it('maps a repeated time to its first occurrence, one hour before its second', () => {
    const instant = zonedToInstant(fallBack.date, fallBack.repeated, zone);
    expect(iso(instant)).toBe(fallBack.first);
    // Both instants really show that wall time: the first is chosen, not a wrong one.
    expect(localParts(instant, zone)).toMatchObject({ date: fallBack.date });
    expect(localParts(instant + 3_600_000, zone)).toEqual(localParts(instant, zone));
  });
  it('keeps the times around the repeated hour', () => {
    for (const [time, expected] of fallBackEdges as [string, string][])
      expect(iso(zonedToInstant(fallBack.date, time, zone))).toBe(expected);
  });
  it('moves a skipped time forward by the length of the gap', () => {
    expect(iso(zonedToInstant(springForward.date, springForward.skipped, zone))).toBe(springForward.after);
    for (const [time, expected] of springEdges as [string, string][])
      expect(iso(zonedToInstant(springForward.date, time, zone))).toBe(expected);
  });
  it('round-trips every quarter hour of the change days through localParts', () => {
    for (const date of [fallBack.date, springForward.date]) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const time = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        const back = localParts(zonedToInstant(date, time, zone), zone);
        if (back.minutes === minutes) expect(back.date).toBe(date);
        else expect(back.minutes - minutes, `${date} ${time}`).toBe(60); // only a skipped time moves
      }
    }
  });
});

describe('zonedToInstant with a half-hour change (Australia/Lord_Howe)', () => {
  it('takes the first of a repeated time and the end of the day as 24:00', () => {
    expect(iso(zonedToInstant('2026-04-05', '01:45', 'Australia/Lord_Howe'))).toBe(
      '2026-04-04T14:45:00.000Z',
    );
    expect(iso(zonedToInstant('2026-11-24', '24:00', 'Europe/Paris'))).toBe('2026-11-24T23:00:00.000Z');
  });
});

describe('offsets', () => {
  it('are the zone offset in minutes at an instant, including half hours and seconds into a minute', () => {
    expect(offsetMinutes('America/New_York', Date.parse('2026-07-01T12:00:00Z'))).toBe(-240);
    expect(offsetMinutes('America/New_York', Date.parse('2026-12-01T12:00:00Z'))).toBe(-300);
    expect(offsetMinutes('Europe/Paris', Date.parse('2026-07-01T12:00:00.999Z'))).toBe(120);
    expect(offsetMinutes('Asia/Kolkata', Date.parse('2026-07-01T12:34:56.789Z'))).toBe(330);
    expect(offsetMinutes('UTC', Date.parse('2026-07-01T23:59:59Z'))).toBe(0);
  });
});

describe('calendar helpers', () => {
  it('knows weekdays, zones and the UTC days an interval touches', () => {
    expect(weekdayOf('2026-11-24')).toBe('tue');
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('UTC')).toBe(true);
    // An abbreviation names no place's rules (EST has no daylight saving), so it is refused though Intl knows it.
    expect(isTimeZone('EST')).toBe(false);
    expect(utcDaysOf(Date.parse('2026-11-24T23:30:00Z'), Date.parse('2026-11-25T00:30:00Z'))).toEqual([
      '2026-11-24',
      '2026-11-25',
    ]);
    expect(utcDaysOf(Date.parse('2026-11-24T23:00:00Z'), Date.parse('2026-11-25T00:00:00Z'))).toEqual([
      '2026-11-24',
    ]);
  });
});

describe('days and hours', () => {
  it('reads local dates and minutes of the day on either side of midnight', () => {
    expect(localParts(Date.parse('2026-11-24T23:30:00Z'), 'Europe/Paris')).toEqual({
      date: '2026-11-25',
      minutes: 30,
      wall: Date.parse('2026-11-25T00:30:00Z'),
    });
    expect(localParts(Date.parse('2026-11-25T03:15:00Z'), 'America/New_York')).toEqual({
      date: '2026-11-24',
      minutes: 22 * 60 + 15,
      wall: Date.parse('2026-11-24T22:15:00Z'),
    });
  });

  it('names every weekday', () => {
    expect(datesBetween('2026-11-22', '2026-11-28').map(weekdayOf)).toEqual([
      'sun',
      'mon',
      'tue',
      'wed',
      'thu',
      'fri',
      'sat',
    ]);
  });

  it('lists dates inclusively, across a month end, and none for a reversed range', () => {
    expect(datesBetween('2026-11-29', '2026-12-02')).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(datesBetween('2026-11-24', '2026-11-24')).toEqual(['2026-11-24']);
    expect(datesBetween('2026-11-25', '2026-11-24')).toEqual([]);
  });

  it('buckets an interval into the UTC hours it touches, its end excluded', () => {
    const h = (t: string) => Date.parse(`2026-11-24T${t}Z`);
    expect(utcHoursOf(h('09:00:00'), h('10:00:00'))).toEqual(['2026-11-24T09']);
    expect(utcHoursOf(h('09:45:00'), h('10:15:00'))).toEqual(['2026-11-24T09', '2026-11-24T10']);
    expect(utcHoursOf(h('23:30:00'), Date.parse('2026-11-25T01:00:01Z'))).toEqual([
      '2026-11-24T23',
      '2026-11-25T00',
      '2026-11-25T01',
    ]);
  });
});
