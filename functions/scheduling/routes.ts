// The scheduling context's endpoints. Gathered into functions/routes.ts.
import type * as z from 'zod';
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  Appointment,
  AppointmentList,
  AppointmentParams,
  AppointmentType,
  AppointmentTypePage,
  AppointmentTypeParams,
  Availability,
  AvailabilityQuery,
  BookBody,
  CancelBody,
  CreateAppointmentTypeBody,
  CreateExceptionBody,
  CreateHoldBody,
  CreateLocationBody,
  CreateProviderBody,
  EmptyBody,
  Hold,
  ListQuery,
  Location,
  LocationDayQuery,
  LocationPage,
  LocationParams,
  PatientAppointments,
  PatientParams,
  Provider,
  ProviderPage,
  ProviderParams,
  ProviderRangeQuery,
  PutScheduleBody,
  RescheduleBody,
  Schedule,
} from './schemas.ts';

const tag = 'Scheduling';
const ADMIN: Role[] = ['admin'];
const DESK: Role[] = ['admin', 'front-desk'];
const STAFF: Role[] = ['admin', 'front-desk', 'clinician', 'nurse'];
const CHECK_IN: Role[] = ['admin', 'front-desk', 'clinician', 'nurse'];
const PORTAL: Role[] = [...STAFF, 'patient'];
const h = (name: string) => `functions/scheduling/handlers/${name}.ts`;
const problem = (description: string) => ({ description });

/** Example ids used in the sample events (a fresh install has none of these; the demo patient exists). */
const EX = {
  locationId: '01KAXDEM0000000000000000S1',
  providerId: '01KAXDEM0000000000000000P1',
  appointmentTypeId: '01KAXDEM0000000000000000T1',
  appointmentId: '01KAXDEM0000000000000000A1',
  patientId: '01KAXDEM0PAT1ENT0000000001',
};

// ── Catalog ────────────────────────────────────────────────────────────────────────────────────────────────
export const createLocation = defineRoute({
  operationId: 'createLocation',
  method: 'POST',
  path: '/v1/locations',
  handler: h('create-location'),
  summary: 'Add a location (site) with its time zone',
  description:
    'Adds a site where providers see patients. Its IANA time zone is the one schedules and availability are computed in.',
  tag,
  auth: 'cognito',
  roles: ADMIN,
  tableAccess: 'write',
  idempotent: true,
  request: { body: CreateLocationBody },
  example: {
    body: {
      name: 'Main Street Clinic',
      address: { line: ['1 Main St'], city: 'Springfield', state: 'MA', postalCode: '01101' },
      timeZone: 'America/New_York',
    },
  },
  responses: { 201: { description: 'Created', schema: Location } },
});

export const getLocation = defineRoute({
  operationId: 'getLocation',
  method: 'GET',
  path: '/v1/locations/{locationId}',
  handler: h('get-location'),
  summary: 'Read a location',
  description: 'Returns one location with its address and time zone.',
  access: 'a `patient` user may read every location (not patient data)',
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { params: LocationParams },
  example: { params: { locationId: EX.locationId } },
  responses: { 200: { description: 'The location', schema: Location }, 404: problem('No such location') },
});

export const listLocations = defineRoute({
  operationId: 'listLocations',
  method: 'GET',
  path: '/v1/locations',
  handler: h('list-locations'),
  summary: 'List locations by name',
  description:
    "Lists the practice's locations by name, a page at a time (`limit`, then `cursor` from `nextCursor`).",
  access: 'a `patient` user may read every location (not patient data)',
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { query: ListQuery },
  example: { query: { limit: '20' } },
  responses: { 200: { description: 'A page of locations', schema: LocationPage } },
});

export const createProvider = defineRoute({
  operationId: 'createProvider',
  method: 'POST',
  path: '/v1/providers',
  handler: h('create-provider'),
  summary: 'Add a provider (NPI check digit verified)',
  description:
    "Adds a provider with their NPI and the locations where they work. The NPI's check digit is verified (422 naming `body.npi` otherwise); an NPI belongs to one provider.",
  tag,
  auth: 'cognito',
  roles: ADMIN,
  tableAccess: 'write',
  idempotent: true,
  request: { body: CreateProviderBody },
  example: {
    body: {
      name: { given: ['Anika'], family: 'Rao', prefix: 'Dr.' },
      npi: '1234567893',
      specialty: 'Family medicine',
      locationIds: [EX.locationId],
    },
  },
  responses: {
    201: { description: 'Created', schema: Provider },
    409: problem('The NPI belongs to another provider'),
  },
});

export const getProvider = defineRoute({
  operationId: 'getProvider',
  method: 'GET',
  path: '/v1/providers/{providerId}',
  handler: h('get-provider'),
  summary: 'Read a provider',
  description: 'Returns one provider: name, NPI, specialty and locations.',
  access: 'a `patient` user may read every provider (not patient data)',
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { params: ProviderParams },
  example: { params: { providerId: EX.providerId } },
  responses: { 200: { description: 'The provider', schema: Provider }, 404: problem('No such provider') },
});

export const listProviders = defineRoute({
  operationId: 'listProviders',
  method: 'GET',
  path: '/v1/providers',
  handler: h('list-providers'),
  summary: 'List providers by family name',
  description:
    "Lists the practice's providers by family name, a page at a time (`limit`, then `cursor` from `nextCursor`).",
  access: 'a `patient` user may read every provider (not patient data)',
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { query: ListQuery },
  example: { query: { limit: '20' } },
  responses: { 200: { description: 'A page of providers', schema: ProviderPage } },
});

export const createAppointmentType = defineRoute({
  operationId: 'createAppointmentType',
  method: 'POST',
  path: '/v1/appointment-types',
  handler: h('create-appointment-type'),
  summary: 'Add an appointment type (duration, buffer, grid)',
  description:
    'Adds a type of visit: its duration, the buffer kept free after it, and the grid its start times fall on.',
  tag,
  auth: 'cognito',
  roles: ADMIN,
  tableAccess: 'write',
  idempotent: true,
  request: { body: CreateAppointmentTypeBody },
  example: { body: { name: 'Follow-up visit', durationMinutes: 20, bufferAfterMinutes: 5 } },
  responses: { 201: { description: 'Created', schema: AppointmentType } },
});

export const getAppointmentType = defineRoute({
  operationId: 'getAppointmentType',
  method: 'GET',
  path: '/v1/appointment-types/{appointmentTypeId}',
  handler: h('get-appointment-type'),
  summary: 'Read an appointment type',
  description: 'Returns one appointment type with its duration, buffer and grid.',
  access: 'a `patient` user may read every appointment type (not patient data)',
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { params: AppointmentTypeParams },
  example: { params: { appointmentTypeId: EX.appointmentTypeId } },
  responses: {
    200: { description: 'The appointment type', schema: AppointmentType },
    404: problem('No such type'),
  },
});

export const listAppointmentTypes = defineRoute({
  operationId: 'listAppointmentTypes',
  method: 'GET',
  path: '/v1/appointment-types',
  handler: h('list-appointment-types'),
  summary: 'List appointment types by name',
  description:
    "Lists the practice's appointment types by name, a page at a time (`limit`, then `cursor` from `nextCursor`).",
  access: 'a `patient` user may read every appointment type (not patient data)',
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { query: ListQuery },
  example: { query: { limit: '20' } },
  responses: { 200: { description: 'A page of appointment types', schema: AppointmentTypePage } },
});

// ── Schedules ──────────────────────────────────────────────────────────────────────────────────────────────
export const getSchedule = defineRoute({
  operationId: 'getSchedule',
  method: 'GET',
  path: '/v1/providers/{providerId}/schedule',
  handler: h('get-schedule'),
  summary: 'Read a provider’s weekly templates and exceptions (ETag for the next PUT)',
  description:
    "Returns the provider's weekly working templates, one per location, and their dated exceptions (time off, blocked time, extra hours), with the `ETag` a `PUT` must send.",
  tag,
  auth: 'cognito',
  roles: STAFF,
  tableAccess: 'read',
  request: { params: ProviderParams },
  example: { params: { providerId: EX.providerId } },
  responses: { 200: { description: 'The schedule', schema: Schedule }, 404: problem('No such provider') },
});

export const putSchedule = defineRoute({
  operationId: 'putSchedule',
  method: 'PUT',
  path: '/v1/providers/{providerId}/schedule',
  handler: h('put-schedule'),
  summary: 'Set the weekly working blocks at one location',
  description:
    'Sets the provider’s weekly working blocks at one location. Times are local to the location’s time zone. Replaces the template for this location with the same `effectiveFrom`; templates with other dates stay. Send `If-Match` with the schedule’s ETag (a new provider’s schedule is version 1).',
  tag,
  auth: 'cognito',
  roles: DESK,
  tableAccess: 'write',
  requiresIfMatch: true,
  request: { params: ProviderParams, body: PutScheduleBody },
  example: {
    params: { providerId: EX.providerId },
    body: {
      locationId: EX.locationId,
      weekly: [
        { day: 'mon', start: '08:00', end: '12:00' },
        { day: 'mon', start: '13:00', end: '17:00' },
      ],
      effectiveFrom: '2026-01-01',
    },
    headers: { 'If-Match': '"1"' },
  },
  responses: {
    200: { description: 'The updated schedule', schema: Schedule },
    412: problem('The schedule changed since you read it'),
    422: problem('The provider does not work at that location'),
  },
});

export const addScheduleException = defineRoute({
  operationId: 'addScheduleException',
  method: 'POST',
  path: '/v1/providers/{providerId}/schedule/exceptions',
  handler: h('add-schedule-exception'),
  summary: 'Add time off, blocked time or extra hours on one date',
  description:
    "Adds one dated exception to the provider's schedule: time off or blocked time takes free slots away, extra hours add some. Returns the whole schedule.",
  tag,
  auth: 'cognito',
  roles: DESK,
  tableAccess: 'write',
  idempotent: true,
  acceptsIfMatch: true,
  request: { params: ProviderParams, body: CreateExceptionBody },
  example: {
    params: { providerId: EX.providerId },
    body: { date: '2026-12-24', kind: 'time-off', reason: 'Holiday' },
  },
  responses: {
    201: { description: 'The updated schedule', schema: Schedule },
    412: problem('If-Match was sent and the schedule changed since'),
  },
});

// ── Availability, holds, booking ───────────────────────────────────────────────────────────────────────────
export const getAvailability = defineRoute({
  operationId: 'getAvailability',
  method: 'GET',
  path: '/v1/availability',
  handler: h('get-availability'),
  summary: 'When can this provider see a patient for this type of visit?',
  description:
    'Free start times on the type’s grid, computed from the schedule, booked and held time; range at most 31 days.',
  access: "a `patient` user may look up any provider's free times (they carry no patient data)",
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  request: { query: AvailabilityQuery },
  example: {
    query: {
      providerId: EX.providerId,
      appointmentTypeId: EX.appointmentTypeId,
      from: '2026-12-01',
      to: '2026-12-07',
    },
  },
  responses: {
    200: { description: 'Free slots', schema: Availability },
    422: problem('Unknown provider or type'),
  },
});

export const createHold = defineRoute({
  operationId: 'createHold',
  method: 'POST',
  path: '/v1/appointment-holds',
  handler: h('create-hold'),
  summary: 'Hold a time for a few minutes while the patient confirms',
  description:
    'Holds a start time for a few minutes (until `expiresAt`) so nobody else can book it while the patient confirms; send its id as `holdId` when booking.',
  access: "a `patient` user: only a hold for themselves (another patient's `patientId` is answered 404)",
  tag,
  auth: 'cognito',
  roles: [...DESK, 'patient'],
  tableAccess: 'write',
  idempotent: true,
  request: { body: CreateHoldBody },
  example: {
    body: {
      providerId: EX.providerId,
      appointmentTypeId: EX.appointmentTypeId,
      start: '2026-12-07T14:00:00Z',
    },
  },
  responses: {
    201: { description: 'Held until expiresAt', schema: Hold },
    409: problem('The time is taken'),
    422: problem('Outside working hours, in the past or off the grid'),
  },
});

export const bookAppointment = defineRoute({
  operationId: 'bookAppointment',
  method: 'POST',
  path: '/v1/appointments',
  handler: h('book-appointment'),
  summary: 'Book an appointment',
  description:
    'Books a patient with a provider at a location for a type of visit, at a free start time (from availability, or a hold). 409 when the provider (or the patient) is not free then; 422 outside working hours, in the past or off the grid.',
  access: "a `patient` user: only their own appointments (another patient's `patientId` is answered 404)",
  tag,
  auth: 'cognito',
  roles: [...DESK, 'patient'],
  tableAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'Appointment', action: 'appointment.create' },
  request: { body: BookBody },
  example: {
    body: {
      patientId: EX.patientId,
      providerId: EX.providerId,
      appointmentTypeId: EX.appointmentTypeId,
      start: '2026-12-07T14:00:00Z',
      reason: 'Blood pressure follow-up',
    },
    headers: { 'Idempotency-Key': '4c1f2a9e-book-0001' },
  },
  responses: {
    201: { description: 'Booked', schema: Appointment },
    409: problem('The time is taken'),
    422: problem('Outside working hours, in the past or off the grid'),
  },
});

// ── One appointment ────────────────────────────────────────────────────────────────────────────────────────
const appointmentAudit = (action: string) => ({ resourceType: 'Appointment', action });

export const getAppointment = defineRoute({
  operationId: 'getAppointment',
  method: 'GET',
  path: '/v1/appointments/{appointmentId}',
  handler: h('get-appointment'),
  summary: 'Read an appointment',
  description: 'Returns one appointment: patient, provider, location, type, start and end, and status.',
  access: "a `patient` user: only their own appointments (another's is answered 404)",
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  audit: appointmentAudit('appointment.read'),
  request: { params: AppointmentParams },
  example: { params: { appointmentId: EX.appointmentId } },
  responses: {
    200: { description: 'The appointment', schema: Appointment },
    404: problem('No such appointment'),
  },
});

function action<B extends z.ZodType>(
  name: string,
  summary: string,
  description: string,
  roles: Role[],
  body: B,
  exampleBody: unknown,
) {
  return defineRoute({
    operationId: `${name.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase())}Appointment`,
    method: 'POST',
    path: `/v1/appointments/{appointmentId}/${name}`,
    handler: h(`${name}-appointment`),
    summary,
    description,
    ...(roles.includes('patient')
      ? { access: 'a `patient` user: only their own appointments (another’s is answered 404)' }
      : {}),
    tag,
    auth: 'cognito',
    roles,
    tableAccess: 'write',
    idempotent: true,
    // Each change acts on what the caller saw (the time, the status): a stale view must not win.
    requiresIfMatch: true,
    audit: appointmentAudit(`appointment.${name}`),
    request: { params: AppointmentParams, body },
    example: {
      params: { appointmentId: EX.appointmentId },
      body: exampleBody,
      headers: { 'If-Match': '"1"' },
    },
    responses: {
      200: { description: 'The appointment after the change', schema: Appointment },
      404: problem('No such appointment'),
      409: problem('The change makes no sense for the appointment’s status, or the new time is taken'),
      412: problem('The appointment changed since you read it'),
    },
  });
}

export const rescheduleAppointment = action(
  'reschedule',
  'Move to a new time (atomic: the old time is freed only if the new one is taken)',
  'Moves a booked appointment to a new start with the same provider and type, in one transaction: the old time is freed only when the new one is taken (409 otherwise, and nothing changes).',
  DESK,
  RescheduleBody,
  { start: '2026-12-08T15:00:00Z' },
);
export const cancelAppointment = action(
  'cancel',
  'Cancel (frees the time)',
  'Cancels a booked appointment with a `reason`, and frees its time for others to book.',
  [...DESK, 'patient'],
  CancelBody,
  { reason: 'Patient request' },
);
export const checkInAppointment = action(
  'check-in',
  'Check in: the patient has arrived',
  'Marks a booked appointment arrived and, in the same transaction, opens the visit’s encounter linked to it.',
  CHECK_IN,
  EmptyBody,
  {},
);
export const noShowAppointment = action(
  'no-show',
  'Mark as no-show',
  'Records that the patient did not come to a booked appointment.',
  DESK,
  EmptyBody,
  {},
);
export const completeAppointment = action(
  'complete',
  'Complete the visit',
  'Marks an arrived appointment’s visit done.',
  CHECK_IN,
  EmptyBody,
  {},
);

// ── Views ──────────────────────────────────────────────────────────────────────────────────────────────────
export const providerAppointments = defineRoute({
  operationId: 'listProviderAppointments',
  method: 'GET',
  path: '/v1/providers/{providerId}/appointments',
  handler: h('list-provider-appointments'),
  summary: 'A provider’s day or week',
  description:
    "Lists a provider's appointments from `from` to `to` (whole days), ordered by start: the provider's day or week.",
  tag,
  auth: 'cognito',
  roles: STAFF,
  tableAccess: 'read',
  audit: appointmentAudit('appointment.list'),
  request: { params: ProviderParams, query: ProviderRangeQuery },
  example: { params: { providerId: EX.providerId }, query: { from: '2026-12-07', to: '2026-12-07' } },
  responses: { 200: { description: 'Appointments, by start', schema: AppointmentList } },
});

export const locationAppointments = defineRoute({
  operationId: 'listLocationAppointments',
  method: 'GET',
  path: '/v1/locations/{locationId}/appointments',
  handler: h('list-location-appointments'),
  summary: 'The front desk’s day at a location, across providers',
  description:
    "Lists every provider's appointments at one location on one `date`, ordered by start: the front desk's day.",
  tag,
  auth: 'cognito',
  roles: STAFF,
  tableAccess: 'read',
  audit: appointmentAudit('appointment.list'),
  request: { params: LocationParams, query: LocationDayQuery },
  example: { params: { locationId: EX.locationId }, query: { date: '2026-12-07' } },
  responses: { 200: { description: 'Appointments, by start', schema: AppointmentList } },
});

export const patientAppointments = defineRoute({
  operationId: 'listPatientAppointments',
  method: 'GET',
  path: '/v1/patients/{patientId}/appointments',
  handler: h('list-patient-appointments'),
  summary: 'A patient’s upcoming and past appointments',
  description: "Lists a patient's appointments: upcoming ones soonest first, then past ones latest first.",
  tag,
  auth: 'cognito',
  roles: PORTAL,
  tableAccess: 'read',
  audit: { ...appointmentAudit('appointment.list'), patientIdParam: 'patientId' },
  request: { params: PatientParams },
  example: { params: { patientId: EX.patientId } },
  responses: {
    200: { description: 'Upcoming (soonest first) and past (latest first)', schema: PatientAppointments },
    404: { description: 'No such patient' },
  },
});

export const routes = [
  createLocation,
  getLocation,
  listLocations,
  createProvider,
  getProvider,
  listProviders,
  createAppointmentType,
  getAppointmentType,
  listAppointmentTypes,
  getSchedule,
  putSchedule,
  addScheduleException,
  getAvailability,
  createHold,
  bookAppointment,
  getAppointment,
  rescheduleAppointment,
  cancelAppointment,
  checkInAppointment,
  noShowAppointment,
  completeAppointment,
  providerAppointments,
  locationAppointments,
  patientAppointments,
];
