// Whether a time can be taken (held, booked, or moved to), decided over what the use case read: the provider's
// schedule, the appointment type, the patient, and the hours of the provider's and patient's calendars. Pure: no
// clock, no ids, no database. The use cases read once, decide here, and commit what this returns once.
import { ConflictError, UnprocessableError } from '#shared/errors.ts';
import {
  candidateDates,
  gridSlots,
  type Interval,
  isActive,
  overlaps,
  type SlotCandidate,
  workingBlocks,
} from './availability.ts';
import { type Bucket, Calendar, type CalendarHour, hoursOf } from './calendar.ts';
import type { Appointment, AppointmentType, Schedule } from './schemas.ts';
import { localParts, utcHoursOf } from './time.ts';

const MINUTE = 60_000;
/** The longest possible visit (240 min) plus the longest buffer (120 min): the hours a new time may touch. */
const LONGEST_VISIT_MINUTES = 360;

/** What was read for the decision (the store's answer to `hoursToRead` plus the schedule, type and patient). */
export interface BookingReads {
  schedule?: Schedule | undefined;
  appointmentType?: AppointmentType | undefined;
  /** Whether the patient named exists (asked only when the request names one). */
  patientExists?: boolean | undefined;
  /** Every hour read of the provider's calendar and, when a patient is named, of the patient's. */
  buckets: readonly Bucket[];
}

/** An appointment without its time: the decision sets where and when (location, start, end, busy until). */
export type AppointmentDraft = Omit<Appointment, 'locationId' | 'start' | 'end' | 'busyUntil'>;

/** A hold takes the time for `seconds`. */
export type HoldTaking = { kind: 'hold'; id: string; seconds: number };
/** An appointment takes the time: a new one, or one moved (`replacing` is it before the move). */
export type AppointmentTaking = {
  kind: 'appointment';
  appointment: AppointmentDraft;
  replacing?: Appointment | undefined;
};
export type Taking = HoldTaking | AppointmentTaking;

export interface BookingRequest<T extends Taking = Taking> {
  providerId: string;
  appointmentTypeId: string;
  /** The start asked for, ISO 8601. */
  start: string;
  /** Where, when the provider works at several locations then; otherwise wherever the schedule says. */
  locationId?: string | undefined;
  /** Whose calendar must be free too: the booking's patient, or the patient a hold names. */
  patientId?: string | undefined;
  /** The caller (its `sub`): its own live hold named by `holdId` does not block it, and a booking releases it. */
  by: string;
  holdId?: string | undefined;
  takes: T;
}

export type Refusal = UnprocessableError | ConflictError;

/** A hold as it sits on the provider's calendar: who may book the time, and when it lapses. */
export type HoldInterval = Interval & { kind: 'hold'; holder: string; expiresAtMs: number };

/** The time taken: the slot, where it is listed, the hours to write, and the hold or appointment that took it. */
type Accepted<Taken> = {
  refused?: undefined;
  slot: SlotCandidate;
  /** The date at the location (its time zone): the appointment is listed on that day of the location. */
  localDate: string;
  /** The calendar hours to write, each on the version read. */
  buckets: Bucket[];
} & Taken;

export type HoldDecision = { refused: Refusal } | Accepted<{ hold: HoldInterval }>;
export type AppointmentDecision = { refused: Refusal } | Accepted<{ appointment: Appointment }>;

/**
 * The calendar hours a request must read: those the new time may touch (the longest visit from its start; hours
 * it will not use cost nothing) and, for a move, those the old time occupies, on the provider's calendar and, when
 * a patient is named, on the patient's.
 */
export function hoursToRead(request: BookingRequest): CalendarHour[] {
  const startMs = Date.parse(request.start);
  const newHours = utcHoursOf(startMs, startMs + LONGEST_VISIT_MINUTES * MINUTE);
  const old = request.takes.kind === 'appointment' ? request.takes.replacing : undefined;
  const oldHours = old ? utcHoursOf(Date.parse(old.start), Date.parse(old.busyUntil)) : [];
  const hours = [...new Set([...newHours, ...oldHours])];
  return [
    ...hoursOf({ calendar: 'provider', ownerId: request.providerId }, hours),
    ...(request.patientId ? hoursOf({ calendar: 'patient', ownerId: request.patientId }, hours) : []),
  ];
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Decides a hold, a booking or a move. Refusals, first match wins: the provider (its schedule), the appointment
 * type or the patient does not exist (422); the time has begun (422); it is off the provider's working hours or
 * the type's grid, or at another location than the provider works at then (422); the provider's time, buffer
 * included, overlaps an active appointment or someone else's live hold (409); the patient has an overlapping
 * active appointment (409). The time being moved never blocks itself.
 */
export function decideBooking(
  read: BookingReads,
  request: BookingRequest<HoldTaking>,
  nowMs: number,
): HoldDecision;
export function decideBooking(
  read: BookingReads,
  request: BookingRequest<AppointmentTaking>,
  nowMs: number,
): AppointmentDecision;
export function decideBooking(
  read: BookingReads,
  request: BookingRequest,
  nowMs: number,
): HoldDecision | AppointmentDecision {
  const refused = (error: Refusal) => ({ refused: error });
  const { schedule, appointmentType: type } = read;
  if (!schedule) {
    return refused(
      new UnprocessableError('No such provider', [{ field: 'body.providerId', message: 'No such provider' }]),
    );
  }
  if (!type) {
    return refused(
      new UnprocessableError('No such appointment type', [
        { field: 'body.appointmentTypeId', message: 'No such appointment type' },
      ]),
    );
  }
  if (request.patientId && !read.patientExists) {
    return refused(
      new UnprocessableError('No such patient', [{ field: 'body.patientId', message: 'No such patient' }]),
    );
  }
  const startMs = Date.parse(request.start);
  if (startMs <= nowMs) {
    return refused(
      new UnprocessableError('The time is in the past', [
        { field: 'body.start', message: 'Must be in the future' },
      ]),
    );
  }
  const onGrid = gridSlots(workingBlocks(schedule, candidateDates(startMs, startMs + 1)), type).filter(
    (s) => s.start === startMs,
  );
  const slot = onGrid.find((s) => !request.locationId || s.locationId === request.locationId);
  if (!slot) {
    return refused(
      onGrid.length > 0
        ? new UnprocessableError('The provider does not work at this location then', [
            { field: 'body.locationId', message: 'The provider is at another location then' },
          ])
        : new UnprocessableError('Outside working hours or off the grid', [
            { field: 'body.start', message: 'Outside working hours or not on the appointment type’s grid' },
          ]),
    );
  }

  const calendar = new Calendar(read.buckets);
  const takes: Taking = request.takes;
  const replacingId = takes.kind === 'appointment' ? takes.replacing?.id : undefined;
  // The caller's own live hold (named in the request) does not block it; anyone else's does.
  const ownHold = (i: Interval) => i.kind === 'hold' && i.id === request.holdId && i.holder === request.by;
  const wanted = { start: slot.start, end: slot.busyUntil };
  const providerBusy = calendar
    .intervals('provider')
    .filter((i) => i.id !== replacingId && isActive(i, nowMs) && !ownHold(i))
    .some((i) => overlaps(wanted, { start: Date.parse(i.start), end: Date.parse(i.busyUntil) }));
  if (providerBusy) {
    return refused(
      new ConflictError('The provider is not free then', [
        { field: 'body.start', message: 'The time is taken' },
      ]),
    );
  }
  if (request.patientId) {
    const visit = { start: slot.start, end: slot.end };
    const clash = calendar
      .intervals('patient')
      .some(
        (i) =>
          i.id !== replacingId &&
          isActive(i, nowMs) &&
          overlaps(visit, { start: Date.parse(i.start), end: Date.parse(i.end) }),
      );
    if (clash) {
      return refused(
        new ConflictError('The patient has another appointment then', [
          { field: 'body.patientId', message: 'Already booked at an overlapping time' },
        ]),
      );
    }
  }
  const template = schedule.templates.find((t) => t.locationId === slot.locationId);
  const localDate = localParts(slot.start, template?.timeZone ?? 'UTC').date;

  if (takes.kind === 'hold') {
    const hold: HoldInterval = {
      id: takes.id,
      kind: 'hold',
      start: iso(slot.start),
      end: iso(slot.end),
      busyUntil: iso(slot.busyUntil),
      locationId: slot.locationId,
      appointmentTypeId: request.appointmentTypeId,
      holder: request.by,
      expiresAtMs: nowMs + takes.seconds * 1000,
      ...(request.patientId ? { patientId: request.patientId } : {}),
    };
    calendar.add(
      hold,
      hoursOf({ calendar: 'provider', ownerId: request.providerId }, utcHoursOf(slot.start, slot.busyUntil)),
    );
    return { slot, localDate, buckets: calendar.changes(nowMs), hold };
  }

  if (takes.replacing) calendar.remove(takes.replacing.id);
  // Booking releases the caller's own hold; nobody can release someone else's by naming it.
  if (request.holdId) {
    calendar.remove(request.holdId, (i) => i.kind === 'hold' && i.holder === request.by);
  }
  const appointment: Appointment = {
    ...takes.appointment,
    locationId: slot.locationId,
    start: iso(slot.start),
    end: iso(slot.end),
    busyUntil: iso(slot.busyUntil),
  };
  calendar.place(appointment);
  return { slot, localDate, buckets: calendar.changes(nowMs), appointment };
}
