// The booking decision without a database: every reason a time is refused, and what is written when it is taken
// (a hold, a booking, a move), over hand-made schedules and calendar hours.
import { describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableError } from '#shared/errors.ts';
import type { Interval } from './availability.ts';
import {
  type AppointmentDraft,
  type AppointmentTaking,
  type BookingReads,
  type BookingRequest,
  decideBooking,
  type HoldTaking,
  hoursToRead,
} from './booking-decision.ts';
import type { Bucket } from './calendar.ts';
import type { Appointment, AppointmentType, Schedule } from './schemas.ts';
import { utcHoursOf } from './time.ts';

// Monday 7 January 2030 in New York (EST, UTC-5): 08:00 local is 13:00Z.
const MONDAY = '2030-01-07';
const NOW = Date.parse('2030-01-06T12:00:00Z');
const at = (localTime: string) => {
  const [h, m] = localTime.split(':').map(Number) as [number, number];
  return new Date(Date.parse(`${MONDAY}T13:00:00Z`) + ((h - 8) * 60 + m) * 60_000).toISOString();
};
const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** Dr. P works Monday mornings at L1 and Monday afternoons at L2, both in New York. */
const SCHEDULE: Schedule = {
  providerId: 'P',
  version: 2,
  updatedAt: '2030-01-01T00:00:00.000Z',
  templates: [
    {
      locationId: 'L1',
      timeZone: 'America/New_York',
      weekly: [
        { day: 'mon', start: '08:00', end: '12:00' },
        { day: 'mon', start: '19:00', end: '21:00' },
      ],
    },
    {
      locationId: 'L2',
      timeZone: 'America/New_York',
      weekly: [{ day: 'mon', start: '13:00', end: '17:00' }],
    },
  ],
  exceptions: [],
};

/** 30 minutes, 10 minutes' buffer, starts every 15 minutes. */
const TYPE: AppointmentType = {
  id: 'T',
  version: 1,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedBy: 'admin',
  name: 'Visit',
  durationMinutes: 30,
  bufferAfterMinutes: 10,
  slotIntervalMinutes: 15,
};

const stamp = {
  version: 1,
  createdAt: '2030-01-06T12:00:00.000Z',
  updatedAt: '2030-01-06T12:00:00.000Z',
  createdBy: 'desk-1',
  updatedBy: 'desk-1',
};

const draft = (id = 'A-new'): AppointmentDraft => ({
  ...stamp,
  id,
  status: 'booked',
  patientId: 'PAT',
  providerId: 'P',
  appointmentTypeId: 'T',
});

/** A booked appointment of patient `patientId` with provider P at local `time`. */
function booked(
  id: string,
  time: string,
  patientId = 'PAT',
  status: Appointment['status'] = 'booked',
): Appointment {
  const start = at(time);
  return {
    ...draft(id),
    patientId,
    status,
    locationId: 'L1',
    start,
    end: plus(start, 30),
    busyUntil: plus(start, 40),
  };
}

const interval = (a: Appointment): Interval => ({
  id: a.id,
  kind: 'appointment',
  start: a.start,
  end: a.end,
  busyUntil: a.busyUntil,
  locationId: a.locationId,
  appointmentTypeId: a.appointmentTypeId,
  patientId: a.patientId,
  status: a.status,
  version: a.version,
});

const hold = (id: string, time: string, holder: string, expiresAtMs = NOW + 300_000): Interval => ({
  id,
  kind: 'hold',
  start: at(time),
  end: plus(at(time), 30),
  busyUntil: plus(at(time), 40),
  locationId: 'L1',
  appointmentTypeId: 'T',
  holder,
  expiresAtMs,
});

function bookingRequest(
  start: string,
  more: Partial<BookingRequest<AppointmentTaking>> = {},
): BookingRequest<AppointmentTaking> {
  return {
    providerId: 'P',
    appointmentTypeId: 'T',
    patientId: 'PAT',
    start,
    by: 'desk-1',
    takes: { kind: 'appointment', appointment: draft() },
    ...more,
  };
}

/** What the store would have read for `request`: every hour asked, holding the intervals that touch it. */
function readsFor(
  request: BookingRequest,
  taken: { provider?: Interval[]; patient?: Interval[] } = {},
  more: Partial<BookingReads> = {},
): BookingReads {
  const buckets: Bucket[] = hoursToRead(request).map((h) => {
    const intervals = (h.calendar === 'provider' ? (taken.provider ?? []) : (taken.patient ?? [])).filter(
      (i) =>
        utcHoursOf(Date.parse(i.start), Date.parse(h.calendar === 'provider' ? i.busyUntil : i.end)).includes(
          h.hour,
        ),
    );
    return { ...h, version: intervals.length > 0 ? 4 : 0, intervals };
  });
  return { schedule: SCHEDULE, appointmentType: TYPE, patientExists: true, buckets, ...more };
}

describe('decideBooking refuses', () => {
  const other = booked('A-other', '08:00', 'PAT-2');
  const refusals: {
    why: string;
    request: BookingRequest<AppointmentTaking>;
    taken?: { provider?: Interval[]; patient?: Interval[] };
    read?: Partial<BookingReads>;
    error: typeof UnprocessableError | typeof ConflictError;
    message: string;
    field: string;
    /** What the field issue says, when it is not the message itself. */
    says?: string;
  }[] = [
    {
      why: 'a provider that does not exist (no schedule)',
      request: bookingRequest(at('08:00')),
      read: { schedule: undefined },
      error: UnprocessableError,
      message: 'No such provider',
      field: 'body.providerId',
    },
    {
      why: 'an appointment type that does not exist',
      request: bookingRequest(at('08:00')),
      read: { appointmentType: undefined },
      error: UnprocessableError,
      message: 'No such appointment type',
      field: 'body.appointmentTypeId',
    },
    {
      why: 'a patient that does not exist',
      request: bookingRequest(at('08:00')),
      read: { patientExists: false },
      error: UnprocessableError,
      message: 'No such patient',
      field: 'body.patientId',
    },
    {
      why: 'a time in the past',
      request: bookingRequest(new Date(NOW - 60_000).toISOString()),
      read: { schedule: { ...SCHEDULE, templates: [] } },
      error: UnprocessableError,
      message: 'The time is in the past',
      field: 'body.start',
      says: 'Must be in the future',
    },
    {
      why: 'a time starting now',
      request: bookingRequest(new Date(NOW).toISOString()),
      error: UnprocessableError,
      message: 'The time is in the past',
      field: 'body.start',
      says: 'Must be in the future',
    },
    {
      why: 'a time before working hours',
      request: bookingRequest(at('07:30')),
      error: UnprocessableError,
      message: 'Outside working hours or off the grid',
      field: 'body.start',
      says: 'Outside working hours or not on the appointment type’s grid',
    },
    {
      why: 'a time off the appointment type’s grid',
      request: bookingRequest(at('08:10')),
      error: UnprocessableError,
      message: 'Outside working hours or off the grid',
      field: 'body.start',
      says: 'Outside working hours or not on the appointment type’s grid',
    },
    {
      why: 'a visit that would run past the end of the block',
      request: bookingRequest(at('11:45')),
      error: UnprocessableError,
      message: 'Outside working hours or off the grid',
      field: 'body.start',
      says: 'Outside working hours or not on the appointment type’s grid',
    },
    {
      why: 'a day the provider does not work',
      request: bookingRequest(plus(at('08:00'), 24 * 60)),
      error: UnprocessableError,
      message: 'Outside working hours or off the grid',
      field: 'body.start',
      says: 'Outside working hours or not on the appointment type’s grid',
    },
    {
      why: 'a day the provider has off',
      request: bookingRequest(at('08:00')),
      read: { schedule: { ...SCHEDULE, exceptions: [{ id: 'X', date: MONDAY, kind: 'time-off' }] } },
      error: UnprocessableError,
      message: 'Outside working hours or off the grid',
      field: 'body.start',
      says: 'Outside working hours or not on the appointment type’s grid',
    },
    {
      why: 'blocked time',
      request: bookingRequest(at('09:00')),
      read: {
        schedule: {
          ...SCHEDULE,
          exceptions: [{ id: 'X', date: MONDAY, kind: 'blocked', start: '09:00', end: '10:00' }],
        },
      },
      error: UnprocessableError,
      message: 'Outside working hours or off the grid',
      field: 'body.start',
      says: 'Outside working hours or not on the appointment type’s grid',
    },
    {
      why: 'a location the provider is not at then',
      request: bookingRequest(at('08:00'), { locationId: 'L2' }),
      error: UnprocessableError,
      message: 'The provider does not work at this location then',
      field: 'body.locationId',
      says: 'The provider is at another location then',
    },
    {
      why: 'a time the provider is booked',
      request: bookingRequest(at('08:15')),
      taken: { provider: [interval(other)] },
      error: ConflictError,
      message: 'The provider is not free then',
      field: 'body.start',
      says: 'The time is taken',
    },
    {
      why: 'a time inside the buffer after another visit',
      request: bookingRequest(at('08:30')),
      taken: { provider: [interval(other)] },
      error: ConflictError,
      message: 'The provider is not free then',
      field: 'body.start',
      says: 'The time is taken',
    },
    {
      why: 'a time whose own buffer runs into the next visit',
      request: bookingRequest(at('07:30'), {}),
      read: {
        schedule: {
          ...SCHEDULE,
          exceptions: [
            { id: 'X', date: MONDAY, kind: 'extra-hours', start: '07:30', end: '08:00', locationId: 'L1' },
          ],
        },
      },
      taken: { provider: [interval(other)] },
      error: ConflictError,
      message: 'The provider is not free then',
      field: 'body.start',
      says: 'The time is taken',
    },
    {
      why: 'a time someone else holds',
      request: bookingRequest(at('08:00')),
      taken: { provider: [hold('H', '08:00', 'desk-2')] },
      error: ConflictError,
      message: 'The provider is not free then',
      field: 'body.start',
      says: 'The time is taken',
    },
    {
      why: 'a time someone else holds, even when the request names their hold',
      request: bookingRequest(at('08:00'), { holdId: 'H' }),
      taken: { provider: [hold('H', '08:00', 'desk-2')] },
      error: ConflictError,
      message: 'The provider is not free then',
      field: 'body.start',
      says: 'The time is taken',
    },
    {
      why: 'a time the caller holds without naming the hold',
      request: bookingRequest(at('08:00')),
      taken: { provider: [hold('H', '08:00', 'desk-1')] },
      error: ConflictError,
      message: 'The provider is not free then',
      field: 'body.start',
      says: 'The time is taken',
    },
    {
      why: 'a time the patient is booked with another provider',
      request: bookingRequest(at('08:15')),
      taken: { patient: [{ ...interval(booked('A-elsewhere', '08:30')), locationId: 'L9' }] },
      error: ConflictError,
      message: 'The patient has another appointment then',
      field: 'body.patientId',
      says: 'Already booked at an overlapping time',
    },
  ];

  it.each(refusals)('$why', ({ request, taken, read, error, message, field, says }) => {
    const decision = decideBooking(readsFor(request, taken, read), request, NOW);
    expect(decision.refused).toBeInstanceOf(error);
    expect(decision.refused?.message).toBe(message);
    expect(decision.refused?.errors).toEqual([{ field, message: says ?? message }]);
  });

  it('checks what exists before the clock, and the clock before the hours', () => {
    const past = bookingRequest(new Date(NOW - 60_000).toISOString());
    expect(decideBooking(readsFor(past, {}, { patientExists: false }), past, NOW).refused?.message).toBe(
      'No such patient',
    );
    const offHours = bookingRequest(at('07:00'));
    const busy = { provider: [hold('H', '07:00', 'desk-2')] };
    expect(decideBooking(readsFor(offHours, busy), offHours, NOW).refused?.message).toBe(
      'Outside working hours or off the grid',
    );
  });
});

describe('decideBooking takes the time', () => {
  it('books a free time: the appointment at the slot, on the provider’s hours (buffer included) and the patient’s', () => {
    const request = bookingRequest(at('08:30'));
    const decision = decideBooking(readsFor(request), request, NOW);
    if (decision.refused) throw decision.refused;
    expect(decision.appointment).toEqual({
      ...draft(),
      locationId: 'L1',
      start: '2030-01-07T13:30:00.000Z',
      end: '2030-01-07T14:00:00.000Z',
      busyUntil: '2030-01-07T14:10:00.000Z',
    });
    expect(decision.localDate).toBe(MONDAY);
    // 13:30–14:10Z touches two of the provider's hours; the visit itself (13:30–14:00Z) one of the patient's.
    expect(decision.buckets.map((b) => [b.calendar, b.hour, b.version])).toEqual([
      ['provider', '2030-01-07T13', 0],
      ['provider', '2030-01-07T14', 0],
      ['patient', '2030-01-07T13', 0],
    ]);
    for (const b of decision.buckets) expect(b.intervals.map((i) => i.id)).toEqual(['A-new']);
  });

  it('lists an evening visit under the location’s date, not the UTC date', () => {
    const request = bookingRequest(at('20:00'));
    const decision = decideBooking(readsFor(request), request, NOW);
    if (decision.refused) throw decision.refused;
    expect(decision.appointment.start).toBe('2030-01-08T01:00:00.000Z');
    expect(decision.localDate).toBe(MONDAY);
  });

  it('lists a visit under the date of its own location’s zone when the provider works in two zones', () => {
    const tokyo = {
      locationId: 'L3',
      timeZone: 'Asia/Tokyo',
      weekly: [{ day: 'mon' as const, start: '08:00', end: '10:00' }],
    };
    // Monday 08:00 in Tokyo is Sunday 23:00Z, still Sunday in New York.
    const request = bookingRequest('2030-01-06T23:00:00.000Z');
    const read = readsFor(
      request,
      {},
      { schedule: { ...SCHEDULE, templates: [...SCHEDULE.templates, tokyo] } },
    );
    const decision = decideBooking(read, request, NOW);
    if (decision.refused) throw decision.refused;
    expect(decision.appointment.locationId).toBe('L3');
    expect(decision.localDate).toBe(MONDAY);
  });

  it('picks the location the provider is at then, or the one asked for when it matches', () => {
    const afternoon = bookingRequest(at('13:00'));
    const decision = decideBooking(readsFor(afternoon), afternoon, NOW);
    if (decision.refused) throw decision.refused;
    expect(decision.appointment.locationId).toBe('L2');
    const asked = bookingRequest(at('13:00'), { locationId: 'L2' });
    expect(decideBooking(readsFor(asked), asked, NOW).refused).toBeUndefined();
  });

  it('is not blocked by a cancelled appointment, a lapsed hold or the patient’s visit later that day', () => {
    const request = bookingRequest(at('08:00'));
    const cancelled = interval(booked('A-cancelled', '08:00', 'PAT-2', 'cancelled'));
    const lapsed = hold('H-old', '08:00', 'desk-2', NOW);
    const later = interval(booked('A-later', '09:00'));
    const decision = decideBooking(
      readsFor(request, { provider: [cancelled, lapsed], patient: [later] }),
      request,
      NOW,
    );
    if (decision.refused) throw decision.refused;
    // The lapsed hold is dropped from the hour it is written back to; the cancelled appointment stays listed.
    const written = decision.buckets.find((b) => b.calendar === 'provider' && b.hour === '2030-01-07T13');
    expect(written?.version).toBe(4);
    expect(written?.intervals.map((i) => i.id)).toEqual(['A-cancelled', 'A-new']);
  });

  it('books the caller’s own hold and releases it', () => {
    const request = bookingRequest(at('08:00'), { holdId: 'H' });
    const decision = decideBooking(
      readsFor(request, { provider: [hold('H', '08:00', 'desk-1')] }),
      request,
      NOW,
    );
    if (decision.refused) throw decision.refused;
    for (const b of decision.buckets) expect(b.intervals.map((i) => i.id)).toEqual(['A-new']);
  });

  it('releases nobody else’s hold that the request names', () => {
    const request = bookingRequest(at('08:00'), { holdId: 'H' });
    const theirs = hold('H', '09:00', 'desk-2');
    const decision = decideBooking(readsFor(request, { provider: [theirs] }), request, NOW);
    if (decision.refused) throw decision.refused;
    // Their hold's hour (14Z) is not rewritten: the hold stays where it is.
    expect(decision.buckets.map((b) => [b.calendar, b.hour])).toEqual([
      ['provider', '2030-01-07T13'],
      ['patient', '2030-01-07T13'],
    ]);
  });

  it('holds a time on the provider’s calendar only, for the caller, until it lapses', () => {
    const request: BookingRequest<HoldTaking> = {
      providerId: 'P',
      appointmentTypeId: 'T',
      patientId: 'PAT',
      start: at('08:00'),
      by: 'desk-1',
      takes: { kind: 'hold', id: 'H-new', seconds: 300 },
    };
    const decision = decideBooking(readsFor(request), request, NOW);
    if (decision.refused) throw decision.refused;
    expect(decision.hold).toEqual({
      id: 'H-new',
      kind: 'hold',
      start: '2030-01-07T13:00:00.000Z',
      end: '2030-01-07T13:30:00.000Z',
      busyUntil: '2030-01-07T13:40:00.000Z',
      locationId: 'L1',
      appointmentTypeId: 'T',
      holder: 'desk-1',
      expiresAtMs: NOW + 300_000,
      patientId: 'PAT',
    });
    expect(decision.buckets.map((b) => [b.calendar, b.hour])).toEqual([['provider', '2030-01-07T13']]);
  });

  it('refuses a hold where the patient is booked, like a booking', () => {
    const request: BookingRequest<HoldTaking> = {
      providerId: 'P',
      appointmentTypeId: 'T',
      patientId: 'PAT',
      start: at('08:00'),
      by: 'desk-1',
      takes: { kind: 'hold', id: 'H-new', seconds: 300 },
    };
    const elsewhere = interval(booked('A-elsewhere', '08:00'));
    expect(decideBooking(readsFor(request, { patient: [elsewhere] }), request, NOW).refused?.message).toBe(
      'The patient has another appointment then',
    );
  });

  it('moves an appointment onto time overlapping its own: the old time is freed, the new one taken', () => {
    const before = booked('A-1', '08:00');
    const moved = { ...before, version: 2, updatedAt: '2030-01-06T12:05:00.000Z' };
    const request = bookingRequest(at('08:15'), {
      takes: { kind: 'appointment', appointment: moved, replacing: before },
    });
    const decision = decideBooking(
      readsFor(request, { provider: [interval(before)], patient: [interval(before)] }),
      request,
      NOW,
    );
    if (decision.refused) throw decision.refused;
    expect(decision.appointment).toMatchObject({
      id: 'A-1',
      version: 2,
      start: at('08:15'),
      end: at('08:45'),
    });
    const intervals = decision.buckets.flatMap((b) => b.intervals);
    expect(intervals.every((i) => i.id === 'A-1' && i.start === at('08:15') && i.version === 2)).toBe(true);
  });

  it('frees the old hours of a move to another day', () => {
    const before = booked('A-1', '08:00');
    const request = bookingRequest(at('20:00'), {
      takes: { kind: 'appointment', appointment: { ...before, version: 2 }, replacing: before },
    });
    const decision = decideBooking(
      readsFor(request, { provider: [interval(before)], patient: [interval(before)] }),
      request,
      NOW,
    );
    if (decision.refused) throw decision.refused;
    const oldHour = decision.buckets.filter((b) => b.hour === '2030-01-07T13');
    expect(oldHour.map((b) => [b.calendar, b.version, b.intervals])).toEqual([
      ['provider', 4, []],
      ['patient', 4, []],
    ]);
  });

  it('leaves what was read untouched (the store’s answer can be decided on again)', () => {
    const request = bookingRequest(at('08:00'), { holdId: 'H' });
    const read = readsFor(request, { provider: [hold('H', '08:00', 'desk-1')] });
    const copy = structuredClone(read);
    decideBooking(read, request, NOW);
    expect(read).toEqual(copy);
  });
});

describe('hoursToRead', () => {
  it('reads the hours the longest visit could touch, on the provider’s and the patient’s calendars', () => {
    const hours = hoursToRead(bookingRequest(at('08:00')));
    const expected = ['13', '14', '15', '16', '17', '18'].map((h) => `2030-01-07T${h}`);
    expect(hours.filter((h) => h.calendar === 'provider').map((h) => h.hour)).toEqual(expected);
    expect(hours.filter((h) => h.calendar === 'patient').map((h) => [h.ownerId, h.hour])).toEqual(
      expected.map((h) => ['PAT', h]),
    );
  });

  it('adds the hours a move frees, and reads no patient hours for a hold that names no patient', () => {
    const before = booked('A-1', '08:00');
    const move = bookingRequest(plus(at('08:00'), 24 * 60), {
      takes: { kind: 'appointment', appointment: before, replacing: before },
    });
    expect(
      hoursToRead(move)
        .filter((h) => h.calendar === 'provider')
        .map((h) => h.hour),
    ).toContain('2030-01-07T13');
    const hold: BookingRequest<HoldTaking> = {
      providerId: 'P',
      appointmentTypeId: 'T',
      start: at('08:00'),
      by: 'desk-1',
      takes: { kind: 'hold', id: 'H', seconds: 300 },
    };
    expect(hoursToRead(hold).every((h) => h.calendar === 'provider')).toBe(true);
  });
});
