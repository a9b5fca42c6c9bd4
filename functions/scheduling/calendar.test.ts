// The in-memory calendar a change works on: which hours it marks for writing, what it writes back (lapsed holds
// dropped, intervals by start), and that it never changes what was read.
import { describe, expect, it } from 'vitest';
import type { Interval } from './availability.ts';
import {
  type Bucket,
  Calendar,
  intervalOf,
  patientHoursOf,
  providerHoursOf,
  uniqueById,
} from './calendar.ts';
import type { Appointment } from './schemas.ts';

const NOW = Date.parse('2030-01-07T12:00:00Z');

const appointment: Appointment = {
  id: 'A',
  version: 3,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  createdBy: 'desk',
  updatedBy: 'desk',
  status: 'booked',
  patientId: 'PAT',
  providerId: 'P',
  locationId: 'L',
  appointmentTypeId: 'T',
  start: '2030-01-07T13:30:00.000Z',
  end: '2030-01-07T14:00:00.000Z',
  busyUntil: '2030-01-07T14:20:00.000Z',
};

const hold = (id: string, start: string, expiresAtMs: number): Interval => ({
  id,
  kind: 'hold',
  start,
  end: start,
  busyUntil: start,
  locationId: 'L',
  appointmentTypeId: 'T',
  holder: 'desk',
  expiresAtMs,
});

const empty = (calendar: 'provider' | 'patient', ownerId: string, hour: string): Bucket => ({
  calendar,
  ownerId,
  hour,
  version: 0,
  intervals: [],
});

describe('the hours an appointment occupies', () => {
  it('on the provider’s calendar until its buffer ends, on the patient’s for the visit only', () => {
    expect(providerHoursOf(appointment)).toEqual([
      { calendar: 'provider', ownerId: 'P', hour: '2030-01-07T13' },
      { calendar: 'provider', ownerId: 'P', hour: '2030-01-07T14' },
    ]);
    expect(patientHoursOf(appointment)).toEqual([
      { calendar: 'patient', ownerId: 'PAT', hour: '2030-01-07T13' },
    ]);
  });

  it('as an interval: the appointment’s time, status and version', () => {
    expect(intervalOf(appointment)).toEqual({
      id: 'A',
      kind: 'appointment',
      start: appointment.start,
      end: appointment.end,
      busyUntil: appointment.busyUntil,
      locationId: 'L',
      appointmentTypeId: 'T',
      patientId: 'PAT',
      status: 'booked',
      version: 3,
    });
  });
});

describe('Calendar', () => {
  const read = (): Bucket[] => [
    {
      ...empty('provider', 'P', '2030-01-07T13'),
      version: 2,
      intervals: [intervalOf(appointment), hold('H-live', '2030-01-07T13:00:00.000Z', NOW + 1)],
    },
    { ...empty('provider', 'P', '2030-01-07T14'), version: 5, intervals: [intervalOf(appointment)] },
    { ...empty('patient', 'PAT', '2030-01-07T13'), version: 1, intervals: [intervalOf(appointment)] },
  ];

  it('writes nothing when nothing changed', () => {
    expect(new Calendar(read()).changes(NOW)).toEqual([]);
  });

  it('lists each interval once per kind of calendar, however many hours hold it', () => {
    const calendar = new Calendar(read());
    expect(calendar.intervals('provider').map((i) => i.id)).toEqual(['A', 'H-live']);
    expect(calendar.intervals('patient').map((i) => i.id)).toEqual(['A']);
    expect(uniqueById([{ id: 'x' }, { id: 'x' }, { id: 'y' }])).toEqual([{ id: 'x' }, { id: 'y' }]);
  });

  it('freeing an appointment rewrites every hour it was in, each on the version read', () => {
    const calendar = new Calendar(read());
    calendar.remove('A');
    expect(
      calendar.changes(NOW).map((b) => [b.calendar, b.hour, b.version, b.intervals.map((i) => i.id)]),
    ).toEqual([
      ['provider', '2030-01-07T13', 2, ['H-live']],
      ['provider', '2030-01-07T14', 5, []],
      ['patient', '2030-01-07T13', 1, []],
    ]);
  });

  it('removes only what the filter allows', () => {
    const calendar = new Calendar(read());
    calendar.remove('H-live', (i) => i.holder === 'someone else');
    expect(calendar.changes(NOW)).toEqual([]);
  });

  it('updates an interval wherever it is, and only the hours that hold it', () => {
    const calendar = new Calendar(read());
    calendar.update('A', { status: 'arrived', version: 4 });
    const written = calendar.changes(NOW);
    expect(written.map((b) => b.hour)).toEqual(['2030-01-07T13', '2030-01-07T14', '2030-01-07T13']);
    for (const b of written) {
      expect(b.intervals.find((i) => i.id === 'A')).toMatchObject({ status: 'arrived', version: 4 });
    }
    expect(written[0]?.intervals.find((i) => i.id === 'H-live')?.status).toBeUndefined();
    const other = new Calendar(read());
    other.update('nobody', { status: 'arrived' });
    expect(other.changes(NOW)).toEqual([]);
  });

  it('adding an interval again replaces it; an hour that was not read cannot be written', () => {
    const calendar = new Calendar(read());
    const moved = { ...intervalOf(appointment), start: '2030-01-07T13:45:00.000Z' };
    calendar.add(moved, [{ calendar: 'provider', ownerId: 'P', hour: '2030-01-07T13' }]);
    const [hour] = calendar.changes(NOW);
    expect(hour?.intervals.filter((i) => i.id === 'A')).toEqual([moved]);
    expect(() =>
      calendar.add(moved, [{ calendar: 'provider', ownerId: 'P', hour: '2030-01-07T15' }]),
    ).toThrow('Calendar hour not loaded');
    expect(() =>
      calendar.add(moved, [{ calendar: 'provider', ownerId: 'Q', hour: '2030-01-07T13' }]),
    ).toThrow();
  });

  it('writes intervals by start, drops holds that have lapsed and keeps live ones', () => {
    const calendar = new Calendar([
      {
        ...empty('provider', 'P', '2030-01-07T13'),
        version: 1,
        intervals: [
          hold('H-late', '2030-01-07T13:40:00.000Z', NOW + 60_000),
          hold('H-lapsed', '2030-01-07T13:10:00.000Z', NOW),
          hold('H-no-expiry', '2030-01-07T13:15:00.000Z', 0),
        ],
      },
    ]);
    calendar.add({ ...intervalOf(appointment), start: '2030-01-07T13:20:00.000Z' }, [
      { calendar: 'provider', ownerId: 'P', hour: '2030-01-07T13' },
    ]);
    expect(calendar.changes(NOW)[0]?.intervals.map((i) => i.id)).toEqual(['A', 'H-late']);
  });

  it('places an appointment on its provider’s and its patient’s hours', () => {
    const calendar = new Calendar([
      empty('provider', 'P', '2030-01-07T13'),
      empty('provider', 'P', '2030-01-07T14'),
      empty('patient', 'PAT', '2030-01-07T13'),
    ]);
    calendar.place(appointment);
    expect(calendar.changes(NOW).map((b) => [b.calendar, b.hour, b.intervals.map((i) => i.id)])).toEqual([
      ['provider', '2030-01-07T13', ['A']],
      ['provider', '2030-01-07T14', ['A']],
      ['patient', '2030-01-07T13', ['A']],
    ]);
  });

  it('works on copies: what was read is left as it was', () => {
    const buckets = read();
    const copy = structuredClone(buckets);
    const calendar = new Calendar(buckets);
    calendar.update('A', { status: 'cancelled' });
    calendar.remove('H-live');
    calendar.place({ ...appointment, id: 'B' });
    expect(buckets).toEqual(copy);
  });
});
