// Scheduling request and response shapes: locations, providers, appointment types, schedules, holds and
// appointments. Names follow FHIR R4 Location, Practitioner, Schedule, Slot and Appointment where they exist.
import * as z from 'zod';
import { isValidNpi } from '#shared/npi.ts';
import { Address, Audited, CalendarDate, Cursor, Id, Limit, page, Text } from '#shared/schemas.ts';
import { isTimeZone, WEEKDAYS } from './time.ts';

export const TimeZone = z.string().refine(isTimeZone, 'Must be an IANA time zone such as America/New_York');
/** Local wall-clock time, HH:MM (24:00 allowed as an end). */
export const LocalTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Must be a time HH:MM');
export const Instant = z.iso.datetime({ offset: true, message: 'Must be an ISO 8601 date-time with offset' });
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

// ── Locations ────────────────────────────────────────────────────────────────────────────────────────────────
export const CreateLocationBody = z.strictObject({ name: Text(120), address: Address, timeZone: TimeZone });
export const Location = z.object({ ...Audited, name: z.string(), address: Address, timeZone: z.string() });
export type Location = z.output<typeof Location>;

// ── Providers ────────────────────────────────────────────────────────────────────────────────────────────────
export const ProviderName = z.strictObject({
  given: z.array(Text(100)).min(1).max(5),
  family: Text(100),
  prefix: Text(20).optional(),
  suffix: Text(20).optional(),
});
export const Npi = z.string().refine(isValidNpi, 'Must be a 10-digit NPI with a valid check digit');
export const CreateProviderBody = z.strictObject({
  name: ProviderName,
  npi: Npi,
  specialty: Text(120),
  locationIds: z.array(Id).min(1).max(20),
});
export const Provider = z.object({
  ...Audited,
  name: ProviderName,
  npi: z.string(),
  specialty: z.string(),
  locationIds: z.array(z.string()),
});
export type Provider = z.output<typeof Provider>;

// ── Appointment types ────────────────────────────────────────────────────────────────────────────────────────
export const CreateAppointmentTypeBody = z.strictObject({
  name: Text(120),
  durationMinutes: z.number().int().min(5).max(240).multipleOf(5, 'Must be a multiple of 5 minutes'),
  bufferAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(120)
    .multipleOf(5, 'Must be a multiple of 5 minutes')
    .default(0),
  /** Start times step by this much from the start of each working block; defaults to the duration. */
  slotIntervalMinutes: z
    .number()
    .int()
    .min(5)
    .max(240)
    .multipleOf(5, 'Must be a multiple of 5 minutes')
    .optional(),
});
export const AppointmentType = z.object({
  ...Audited,
  name: z.string(),
  durationMinutes: z.number(),
  bufferAfterMinutes: z.number(),
  slotIntervalMinutes: z.number(),
});
export type AppointmentType = z.output<typeof AppointmentType>;

// ── Schedules ────────────────────────────────────────────────────────────────────────────────────────────────
export const WeeklyBlock = z
  .strictObject({ day: z.enum(WEEKDAYS), start: LocalTime, end: LocalTime })
  .refine((b) => minutes(b.end) > minutes(b.start), { message: 'End must be after start', path: ['end'] });

export const PutScheduleBody = z
  .strictObject({
    locationId: Id,
    weekly: z.array(WeeklyBlock).max(50),
    effectiveFrom: CalendarDate.optional(),
    effectiveTo: CalendarDate.optional(),
  })
  .refine((s) => !s.effectiveFrom || !s.effectiveTo || s.effectiveTo >= s.effectiveFrom, {
    message: 'Must not be before effectiveFrom',
    path: ['effectiveTo'],
  });
export type PutScheduleBody = z.output<typeof PutScheduleBody>;

export const ScheduleTemplate = z.object({
  locationId: z.string(),
  timeZone: z.string(),
  weekly: z.array(z.object({ day: z.enum(WEEKDAYS), start: z.string(), end: z.string() })),
  effectiveFrom: z.string().optional(),
  effectiveTo: z.string().optional(),
});
export type ScheduleTemplate = z.output<typeof ScheduleTemplate>;

export const ExceptionKind = z.enum(['time-off', 'blocked', 'extra-hours']);
export const CreateExceptionBody = z
  .strictObject({
    date: CalendarDate,
    kind: ExceptionKind,
    /** Omit both for the whole day (time off); required for blocked time and extra hours. */
    start: LocalTime.optional(),
    end: LocalTime.optional(),
    /** Required for extra hours; for time off and blocked time, omit to cover every location. */
    locationId: Id.optional(),
    reason: Text(200).optional(),
  })
  .superRefine((e, ctx) => {
    if ((e.start === undefined) !== (e.end === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'Give both start and end, or neither', path: ['end'] });
    }
    if (e.start && e.end && minutes(e.end) <= minutes(e.start)) {
      ctx.addIssue({ code: 'custom', message: 'End must be after start', path: ['end'] });
    }
    if (e.kind !== 'time-off' && e.start === undefined) {
      ctx.addIssue({ code: 'custom', message: 'Required for blocked time and extra hours', path: ['start'] });
    }
    if (e.kind === 'extra-hours' && !e.locationId) {
      ctx.addIssue({ code: 'custom', message: 'Required for extra hours', path: ['locationId'] });
    }
  });
export type CreateExceptionBody = z.output<typeof CreateExceptionBody>;

export const ScheduleException = z.object({
  id: z.string(),
  date: z.string(),
  kind: ExceptionKind,
  start: z.string().optional(),
  end: z.string().optional(),
  locationId: z.string().optional(),
  reason: z.string().optional(),
});
export type ScheduleException = z.output<typeof ScheduleException>;

export const Schedule = z.object({
  providerId: z.string(),
  version: z.number(),
  updatedAt: z.string(),
  templates: z.array(ScheduleTemplate),
  exceptions: z.array(ScheduleException),
});
export type Schedule = z.output<typeof Schedule>;

// ── Availability, holds, appointments ────────────────────────────────────────────────────────────────────────
export const AvailabilityQuery = z.strictObject({
  providerId: Id,
  appointmentTypeId: Id,
  from: z.union([Instant, CalendarDate]),
  to: z.union([Instant, CalendarDate]),
  locationId: Id.optional(),
});
export type AvailabilityQuery = z.output<typeof AvailabilityQuery>;

export const Slot = z.object({
  start: z.string(),
  end: z.string(),
  providerId: z.string(),
  locationId: z.string(),
});
export const Availability = z.object({ slots: z.array(Slot) });

const TimeRequest = {
  providerId: Id,
  appointmentTypeId: Id,
  start: Instant,
  locationId: Id.optional(),
};

export const CreateHoldBody = z.strictObject({ ...TimeRequest, patientId: Id.optional() });
export type CreateHoldBody = z.output<typeof CreateHoldBody>;
export const Hold = z.object({
  holdId: z.string(),
  expiresAt: z.string(),
  start: z.string(),
  end: z.string(),
  providerId: z.string(),
  locationId: z.string(),
});

export const BookBody = z.strictObject({
  ...TimeRequest,
  patientId: Id,
  holdId: Id.optional(),
  reason: Text(500).optional(),
});
export type BookBody = z.output<typeof BookBody>;

export const AppointmentStatus = z.enum(['booked', 'arrived', 'fulfilled', 'cancelled', 'noshow']);
export type AppointmentStatus = z.output<typeof AppointmentStatus>;

export const Appointment = z.object({
  ...Audited,
  status: AppointmentStatus,
  patientId: z.string(),
  providerId: z.string(),
  locationId: z.string(),
  appointmentTypeId: z.string(),
  start: z.string(),
  end: z.string(),
  /** The provider is busy until here (end + the type's buffer). */
  busyUntil: z.string(),
  reason: z.string().optional(),
  cancellationReason: z.string().optional(),
  checkedInAt: z.string().optional(),
  /** The encounter check-in opened for this visit (charting). */
  encounterId: z.string().optional(),
});
export type Appointment = z.output<typeof Appointment>;

export const RescheduleBody = z.strictObject({
  start: Instant,
  locationId: Id.optional(),
  holdId: Id.optional(),
});
export const CancelBody = z.strictObject({ reason: Text(500) });
export const EmptyBody = z.strictObject({});

export const AppointmentSummary = Appointment.pick({
  id: true,
  status: true,
  patientId: true,
  providerId: true,
  locationId: true,
  appointmentTypeId: true,
  start: true,
  end: true,
  version: true,
});
export const AppointmentList = z.object({ items: z.array(AppointmentSummary) });
export const PatientAppointments = z.object({ upcoming: z.array(Appointment), past: z.array(Appointment) });

export const ProviderRangeQuery = z.strictObject({
  from: z.union([Instant, CalendarDate]),
  to: z.union([Instant, CalendarDate]),
});
export const LocationDayQuery = z.strictObject({ date: CalendarDate });

export const ListQuery = z.strictObject({ limit: Limit, cursor: Cursor.optional() });
export const LocationPage = page(Location);
export const ProviderPage = page(Provider);
export const AppointmentTypePage = page(AppointmentType);

export const ProviderParams = z.strictObject({ providerId: Id });
export const LocationParams = z.strictObject({ locationId: Id });
export const AppointmentTypeParams = z.strictObject({ appointmentTypeId: Id });
export const AppointmentParams = z.strictObject({ appointmentId: Id });
export const PatientParams = z.strictObject({ patientId: Id });
