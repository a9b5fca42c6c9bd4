// Availability computation, pure: grids, exceptions and daylight-saving days.
import { describe, expect, it } from 'vitest';
import { freeSlots, type Interval, workingBlocks } from './availability.ts';
import type { Schedule } from './schemas.ts';

const NY = 'America/New_York';
const schedule = (
  weekly: { day: 'sun' | 'mon'; start: string; end: string }[],
  exceptions: Schedule['exceptions'] = [],
) => ({
  templates: [{ locationId: 'L1', timeZone: NY, weekly }],
  exceptions,
});
const type = { durationMinutes: 30, bufferAfterMinutes: 0, slotIntervalMinutes: 30 };
const iso = (ms: number) => new Date(ms).toISOString();
const day = (date: string) => ({
  fromMs: Date.parse(`${date}T00:00:00Z`),
  toMs: Date.parse(`${date}T00:00:00Z`) + 2 * 86_400_000,
});

function slots(s: ReturnType<typeof schedule>, date: string, intervals: Interval[] = []) {
  return freeSlots({ schedule: s, type, intervals, ...day(date), nowMs: 0 }).map((x) => iso(x.start));
}

describe('daylight-saving days in America/New_York', () => {
  it('the March change: a night block 01:00–04:00 is two hours long, so four slots, not six', () => {
    const s = schedule([{ day: 'sun', start: '01:00', end: '04:00' }]);
    const out = slots(s, '2027-03-14').filter((t) => t < '2027-03-15');
    expect(out).toEqual([
      '2027-03-14T06:00:00.000Z',
      '2027-03-14T06:30:00.000Z',
      '2027-03-14T07:00:00.000Z',
      '2027-03-14T07:30:00.000Z',
    ]);
  });

  it('the November change: the same block is four hours long, so eight slots', () => {
    const s = schedule([{ day: 'sun', start: '01:00', end: '04:00' }]);
    const out = slots(s, '2027-11-07').filter((t) => t < '2027-11-08');
    expect(out).toHaveLength(8);
    expect(out[0]).toBe('2027-11-07T05:00:00.000Z');
    expect(out.at(-1)).toBe('2027-11-07T08:30:00.000Z');
  });

  it('a day block keeps its local hours on both sides of each change', () => {
    const s = schedule([
      { day: 'sun', start: '08:00', end: '09:00' },
      { day: 'mon', start: '08:00', end: '09:00' },
    ]);
    expect(slots(s, '2027-03-14')[0]).toBe('2027-03-14T12:00:00.000Z');
    expect(slots(s, '2027-11-07')[0]).toBe('2027-11-07T13:00:00.000Z');
    expect(slots(s, '2027-11-08')[0]).toBe('2027-11-08T13:00:00.000Z');
  });
});

describe('exceptions and taken time', () => {
  const monday = schedule([{ day: 'mon', start: '08:00', end: '12:00' }]);
  it('time off removes the day, blocked time removes its span, extra hours add a block', () => {
    expect(
      slots({ ...monday, exceptions: [{ id: 'x', date: '2027-01-04', kind: 'time-off' }] }, '2027-01-04'),
    ).toEqual([]);
    const blocked = slots(
      {
        ...monday,
        exceptions: [{ id: 'x', date: '2027-01-04', kind: 'blocked', start: '09:00', end: '11:00' }],
      },
      '2027-01-04',
    );
    expect(blocked).toHaveLength(4);
    const extra = workingBlocks(
      {
        ...monday,
        exceptions: [
          {
            id: 'x',
            date: '2027-01-04',
            kind: 'extra-hours',
            start: '18:00',
            end: '19:00',
            locationId: 'L1',
          },
        ],
      },
      ['2027-01-04'],
    );
    expect(extra).toHaveLength(2);
  });

  it('never offers time that overlaps a booking or a live hold (with its buffer), but ignores lapsed holds', () => {
    const taken: Interval[] = [
      {
        id: 'a',
        kind: 'appointment',
        status: 'booked',
        start: '2027-01-04T13:30:00.000Z',
        end: '2027-01-04T14:00:00.000Z',
        busyUntil: '2027-01-04T14:10:00.000Z',
        locationId: 'L1',
        appointmentTypeId: 't',
      },
      {
        id: 'h',
        kind: 'hold',
        start: '2027-01-04T15:00:00.000Z',
        end: '2027-01-04T15:30:00.000Z',
        busyUntil: '2027-01-04T15:30:00.000Z',
        locationId: 'L1',
        appointmentTypeId: 't',
        expiresAtMs: 10,
      },
      {
        id: 'old',
        kind: 'hold',
        start: '2027-01-04T16:00:00.000Z',
        end: '2027-01-04T16:30:00.000Z',
        busyUntil: '2027-01-04T16:30:00.000Z',
        locationId: 'L1',
        appointmentTypeId: 't',
        expiresAtMs: -1,
      },
      {
        id: 'c',
        kind: 'appointment',
        status: 'cancelled',
        start: '2027-01-04T13:00:00.000Z',
        end: '2027-01-04T13:30:00.000Z',
        busyUntil: '2027-01-04T13:30:00.000Z',
        locationId: 'L1',
        appointmentTypeId: 't',
      },
    ];
    const out = slots(monday, '2027-01-04', taken);
    expect(out).toContain('2027-01-04T13:00:00.000Z');
    expect(out).not.toContain('2027-01-04T13:30:00.000Z');
    expect(out).not.toContain('2027-01-04T14:00:00.000Z'); // the buffer runs to 14:10
    expect(out).not.toContain('2027-01-04T15:00:00.000Z');
    expect(out).toContain('2027-01-04T16:00:00.000Z');
  });
});
