// Availability computation, pure: grids, exceptions and daylight-saving days.
import { describe, expect, it } from 'vitest';
import {
  candidateDates,
  freeSlots,
  type Interval,
  isActive,
  overlaps,
  workingBlocks,
} from './availability.ts';
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

// A Monday 09:00–12:00 in UTC keeps the arithmetic readable: slot times are the wall times.
describe('the slots a caller is offered', () => {
  const UTC_MONDAY = {
    templates: [
      { locationId: 'L1', timeZone: 'UTC', weekly: [{ day: 'mon' as const, start: '09:00', end: '12:00' }] },
    ],
    exceptions: [],
  };
  const at = (time: string) => Date.parse(`2027-01-04T${time}:00.000Z`);
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const interval = (start: string, busyUntil: string, extra: Partial<Interval> = {}): Interval => ({
    id: `i-${start}`,
    kind: 'appointment',
    status: 'booked',
    start: new Date(at(start)).toISOString(),
    end: new Date(at(busyUntil)).toISOString(),
    busyUntil: new Date(at(busyUntil)).toISOString(),
    locationId: 'L1',
    appointmentTypeId: 't',
    ...extra,
  });
  const offer = (
    options: Partial<Parameters<typeof freeSlots>[0]> & { visit?: Partial<typeof type> } = {},
  ): string[] =>
    freeSlots({
      schedule: UTC_MONDAY,
      intervals: [],
      fromMs: at('00:00'),
      toMs: at('23:59'),
      nowMs: 0,
      ...options,
      type: { ...type, ...options.visit },
    }).map((s) => hhmm(s.start));

  it('steps the grid from the start of the block and offers only visits that fit before its end', () => {
    expect(offer()).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    expect(offer({ visit: { durationMinutes: 45, slotIntervalMinutes: 45 } })).toEqual([
      '09:00',
      '09:45',
      '10:30',
      // 11:15 + 45 min = 12:00, exactly the end of the block: it fits.
      '11:15',
    ]);
    expect(offer({ visit: { durationMinutes: 60, slotIntervalMinutes: 45 } })).toEqual([
      '09:00',
      '09:45',
      '10:30',
    ]);
    expect(offer({ visit: { durationMinutes: 240, slotIntervalMinutes: 30 } })).toEqual([]);
  });

  it('reports each slot with its end and the end of its buffer', () => {
    const [first] = freeSlots({
      schedule: UTC_MONDAY,
      type: { durationMinutes: 20, bufferAfterMinutes: 10, slotIntervalMinutes: 30 },
      intervals: [],
      fromMs: at('00:00'),
      toMs: at('23:59'),
      nowMs: 0,
    });
    expect(first).toEqual({ start: at('09:00'), end: at('09:20'), busyUntil: at('09:30'), locationId: 'L1' });
  });

  it('never offers a slot that has started: only those at or after now', () => {
    expect(offer({ nowMs: at('10:15') })).toEqual(['10:30', '11:00', '11:30']);
    expect(offer({ nowMs: at('10:30') })).toEqual(['10:30', '11:00', '11:30']);
    expect(offer({ nowMs: at('10:30') + 1 })).toEqual(['11:00', '11:30']);
    expect(offer({ nowMs: at('12:00') })).toEqual([]);
  });

  it('offers starts in [from, to): from included, to excluded', () => {
    expect(offer({ fromMs: at('10:00'), toMs: at('11:00') })).toEqual(['10:00', '10:30']);
    expect(offer({ fromMs: at('10:00') + 1, toMs: at('11:00') + 1 })).toEqual(['10:30', '11:00']);
  });

  it('offers back-to-back slots: a booking ending at a slot’s start, or starting at its end, does not block it', () => {
    const booked = [interval('10:00', '10:30')];
    expect(offer({ intervals: booked })).toEqual(['09:00', '09:30', '10:30', '11:00', '11:30']);
  });

  it('blocks every slot a booking overlaps by even a minute', () => {
    expect(offer({ intervals: [interval('09:29', '09:31')] })).toEqual(['10:00', '10:30', '11:00', '11:30']);
  });

  it('keeps the appointment type’s buffer after each offered visit free of other bookings', () => {
    // A 30-minute visit with a 15-minute buffer needs 45 minutes clear; a booking at 10:40 rules out 10:00.
    const booked = [interval('10:40', '11:00')];
    expect(offer({ intervals: booked, visit: { bufferAfterMinutes: 15 } })).toEqual([
      '09:00',
      '09:30',
      '11:00',
      '11:30',
    ]);
    expect(offer({ intervals: booked, visit: { bufferAfterMinutes: 0 } })).toEqual([
      '09:00',
      '09:30',
      '10:00',
      '11:00',
      '11:30',
    ]);
  });

  it('lets the caller book time it holds itself, while another caller’s live hold blocks it', () => {
    const hold = interval('10:00', '10:30', {
      kind: 'hold',
      holder: 'alice',
      expiresAtMs: at('10:05'),
      status: undefined,
    });
    expect(offer({ intervals: [hold], nowMs: at('08:00'), holder: 'alice' })).toContain('10:00');
    expect(offer({ intervals: [hold], nowMs: at('08:00'), holder: 'bob' })).not.toContain('10:00');
    expect(offer({ intervals: [hold], nowMs: at('08:00') })).not.toContain('10:00');
    // A hold that records no holder is nobody's: it blocks every caller, including one that names none.
    const anonymous = { ...hold, holder: undefined };
    expect(offer({ intervals: [anonymous], nowMs: at('08:00') })).not.toContain('10:00');
    expect(offer({ intervals: [anonymous], nowMs: at('08:00'), holder: 'alice' })).not.toContain('10:00');
    // A caller's own booked appointment still blocks: only holds are the caller's to reuse.
    const own = interval('10:00', '10:30', { holder: 'alice' });
    expect(offer({ intervals: [own], nowMs: at('08:00'), holder: 'alice' })).not.toContain('10:00');
  });

  it('frees held time the moment the hold lapses', () => {
    const hold = interval('11:00', '11:30', {
      kind: 'hold',
      holder: 'alice',
      expiresAtMs: at('10:00'),
      status: undefined,
    });
    expect(offer({ intervals: [hold], nowMs: at('10:00') - 1 })).not.toContain('11:00');
    expect(offer({ intervals: [hold], nowMs: at('10:00') })).toContain('11:00');
    const noExpiry = { ...hold, expiresAtMs: undefined };
    expect(offer({ intervals: [noExpiry], nowMs: 0 })).toContain('11:00');
  });

  it('offers each start once when two locations share the hours, and filters by location', () => {
    const two = {
      templates: [
        {
          locationId: 'L1',
          timeZone: 'UTC',
          weekly: [{ day: 'mon' as const, start: '09:00', end: '10:00' }],
        },
        {
          locationId: 'L2',
          timeZone: 'UTC',
          weekly: [{ day: 'mon' as const, start: '09:30', end: '11:00' }],
        },
      ],
      exceptions: [],
    };
    const slotsOf = (locationId?: string) =>
      freeSlots({
        schedule: two,
        type,
        intervals: [],
        fromMs: at('00:00'),
        toMs: at('23:59'),
        nowMs: 0,
        locationId,
      }).map((s) => `${hhmm(s.start)} ${s.locationId}`);
    expect(slotsOf()).toEqual(['09:00 L1', '09:30 L1', '10:00 L2', '10:30 L2']);
    expect(slotsOf('L2')).toEqual(['09:30 L2', '10:00 L2', '10:30 L2']);
    // A booking blocks the provider everywhere, whatever location it is at.
    const busy = [interval('09:30', '10:00', { locationId: 'L2' })];
    expect(
      freeSlots({
        schedule: two,
        type,
        intervals: busy,
        fromMs: at('00:00'),
        toMs: at('23:59'),
        nowMs: 0,
      }).map((s) => hhmm(s.start)),
    ).toEqual(['09:00', '10:00', '10:30']);
  });
});

describe('which template and exceptions apply', () => {
  const weekly = (start: string, end: string) => [{ day: 'mon' as const, start, end }];
  const hoursOn = (s: Parameters<typeof workingBlocks>[0], date: string) =>
    workingBlocks(s, [date]).map(
      (b) =>
        `${b.locationId} ${new Date(b.start).toISOString().slice(11, 16)}-${new Date(b.end).toISOString().slice(11, 16)}`,
    );

  it('uses the template in force on the date: the latest effectiveFrom that covers it, bounds inclusive', () => {
    const s = {
      templates: [
        { locationId: 'L1', timeZone: 'UTC', weekly: weekly('08:00', '09:00') },
        {
          locationId: 'L1',
          timeZone: 'UTC',
          weekly: weekly('10:00', '11:00'),
          effectiveFrom: '2027-01-11',
          effectiveTo: '2027-01-18',
        },
        {
          locationId: 'L1',
          timeZone: 'UTC',
          weekly: weekly('13:00', '14:00'),
          effectiveFrom: '2027-01-04',
          effectiveTo: '2027-01-11',
        },
      ],
      exceptions: [],
    };
    expect(hoursOn(s, '2026-12-28')).toEqual(['L1 08:00-09:00']);
    expect(hoursOn(s, '2027-01-04')).toEqual(['L1 13:00-14:00']);
    expect(hoursOn(s, '2027-01-11')).toEqual(['L1 10:00-11:00']);
    expect(hoursOn(s, '2027-01-18')).toEqual(['L1 10:00-11:00']);
    expect(hoursOn(s, '2027-01-25')).toEqual(['L1 08:00-09:00']);
    // Whatever order the templates are stored in.
    const reversed = { ...s, templates: [...s.templates].reverse() };
    for (const date of ['2026-12-28', '2027-01-04', '2027-01-11', '2027-01-25'])
      expect(hoursOn(reversed, date), date).toEqual(hoursOn(s, date));
    // Only the weekday's blocks: a Tuesday has none.
    expect(hoursOn(s, '2027-01-05')).toEqual([]);
  });

  it('gives a location no hours once its only template has ended, and leaves the others', () => {
    const s = {
      templates: [
        { locationId: 'OLD', timeZone: 'UTC', weekly: weekly('08:00', '09:00'), effectiveTo: '2027-01-01' },
        { locationId: 'L1', timeZone: 'UTC', weekly: weekly('10:00', '11:00') },
      ],
      exceptions: [],
    };
    expect(hoursOn(s, '2026-12-28')).toEqual(['OLD 08:00-09:00', 'L1 10:00-11:00']);
    expect(hoursOn(s, '2027-01-04')).toEqual(['L1 10:00-11:00']);
  });

  it('reads each location’s hours in its own zone and lists blocks in time order', () => {
    const s = {
      templates: [
        { locationId: 'NY', timeZone: NY, weekly: weekly('08:00', '09:00') },
        { locationId: 'PAR', timeZone: 'Europe/Paris', weekly: weekly('08:00', '09:00') },
      ],
      exceptions: [],
    };
    expect(hoursOn(s, '2027-01-04')).toEqual(['PAR 07:00-08:00', 'NY 13:00-14:00']);
  });

  it('applies time off and blocked time to one location when it names one, to all when it does not', () => {
    const s = (exceptions: Schedule['exceptions']) => ({
      templates: [
        { locationId: 'L1', timeZone: 'UTC', weekly: weekly('09:00', '12:00') },
        { locationId: 'L2', timeZone: 'UTC', weekly: weekly('13:00', '16:00') },
      ],
      exceptions,
    });
    const date = '2027-01-04';
    expect(hoursOn(s([{ id: 'x', date, kind: 'time-off', locationId: 'L1' }]), date)).toEqual([
      'L2 13:00-16:00',
    ]);
    expect(hoursOn(s([{ id: 'x', date, kind: 'time-off' }]), date)).toEqual([]);
    expect(hoursOn(s([{ id: 'x', date: '2027-01-11', kind: 'time-off' }]), date)).toHaveLength(2);
    expect(hoursOn(s([{ id: 'x', date, kind: 'blocked', start: '10:00', end: '14:00' }]), date)).toEqual([
      'L1 09:00-10:00',
      'L2 14:00-16:00',
    ]);
    expect(
      hoursOn(s([{ id: 'x', date, kind: 'blocked', start: '10:00', end: '14:00', locationId: 'L2' }]), date),
    ).toEqual(['L1 09:00-12:00', 'L2 14:00-16:00']);
    // Blocked time that starts or ends exactly at a block's edge leaves the rest of it whole.
    expect(hoursOn(s([{ id: 'x', date, kind: 'blocked', start: '09:00', end: '10:00' }]), date)).toEqual([
      'L1 10:00-12:00',
      'L2 13:00-16:00',
    ]);
    expect(hoursOn(s([{ id: 'x', date, kind: 'blocked', start: '11:00', end: '12:00' }]), date)).toEqual([
      'L1 09:00-11:00',
      'L2 13:00-16:00',
    ]);
    // Blocked time outside the hours changes nothing: it neither stretches nor splits a block.
    expect(hoursOn(s([{ id: 'x', date, kind: 'blocked', start: '17:00', end: '18:00' }]), date)).toEqual([
      'L1 09:00-12:00',
      'L2 13:00-16:00',
    ]);
    expect(hoursOn(s([{ id: 'x', date, kind: 'blocked', start: '12:00', end: '13:00' }]), date)).toEqual([
      'L1 09:00-12:00',
      'L2 13:00-16:00',
    ]);
  });

  it('adds extra hours only at a location that has a schedule', () => {
    const s = (locationId: string) => ({
      templates: [{ locationId: 'L1', timeZone: NY, weekly: weekly('09:00', '10:00') }],
      exceptions: [
        {
          id: 'x',
          date: '2027-01-04',
          kind: 'extra-hours' as const,
          start: '18:00',
          end: '19:00',
          locationId,
        },
      ],
    });
    expect(hoursOn(s('L1'), '2027-01-04')).toEqual(['L1 14:00-15:00', 'L1 23:00-00:00']);
    expect(hoursOn(s('elsewhere'), '2027-01-04')).toEqual(['L1 14:00-15:00']);
  });
});

describe('interval helpers', () => {
  it('overlap is strict: touching intervals do not overlap', () => {
    expect(overlaps({ start: 0, end: 10 }, { start: 10, end: 20 })).toBe(false);
    expect(overlaps({ start: 10, end: 20 }, { start: 0, end: 10 })).toBe(false);
    expect(overlaps({ start: 0, end: 11 }, { start: 10, end: 20 })).toBe(true);
    expect(overlaps({ start: 12, end: 13 }, { start: 10, end: 20 })).toBe(true);
  });

  it('looks a day either side of the asked range, so every zone’s blocks are found', () => {
    expect(candidateDates(Date.parse('2027-01-04T00:00:00Z'), Date.parse('2027-01-04T23:59:00Z'))).toEqual([
      '2027-01-03',
      '2027-01-04',
      '2027-01-05',
    ]);
  });

  it('an appointment is active until cancelled, a hold until it lapses', () => {
    const base = { id: 'i', start: '', end: '', busyUntil: '', locationId: 'L', appointmentTypeId: 't' };
    expect(isActive({ ...base, kind: 'appointment', status: 'booked' }, 0)).toBe(true);
    expect(isActive({ ...base, kind: 'appointment', status: 'cancelled' }, 0)).toBe(false);
    expect(isActive({ ...base, kind: 'hold', expiresAtMs: 100 }, 99)).toBe(true);
    expect(isActive({ ...base, kind: 'hold', expiresAtMs: 100 }, 100)).toBe(false);
  });
});
