// FHIR R4 mappers for scheduling: Schedule (a provider's availability at a location), Slot and Appointment.
// https://hl7.org/fhir/R4/schedule.html · https://hl7.org/fhir/R4/slot.html · https://hl7.org/fhir/R4/appointment.html
// US Core defines no profile for these three, so they are plain R4. Ids are deterministic and legal FHIR ids
// ([A-Za-z0-9\-.]{1,64}), so the same record always maps to the same resource.
import type {
  Appointment as FhirAppointment,
  Schedule as FhirSchedule,
  Slot as FhirSlot,
} from '@medplum/fhirtypes';
import type { Appointment } from './schemas.ts';

/** Where a resource came from: the practice, as a URI (meta.source). */
export interface MapContext {
  source: string;
}

export const fhirIds = {
  schedule: (providerId: string, locationId: string) => `sched-${providerId}-${locationId}`.toLowerCase(),
  slot: (providerId: string, startIso: string) =>
    `slot-${providerId}-${Math.floor(Date.parse(startIso) / 60_000)}`.toLowerCase(),
  appointment: (appointmentId: string) => appointmentId.toLowerCase(),
};

export function toFhirSchedule(
  input: {
    providerId: string;
    locationId: string;
    specialty?: string;
    horizon?: { start: string; end: string };
  },
  ctx: MapContext,
): FhirSchedule {
  return {
    resourceType: 'Schedule',
    id: fhirIds.schedule(input.providerId, input.locationId),
    meta: { source: ctx.source },
    active: true,
    actor: [
      { reference: `Practitioner/${input.providerId.toLowerCase()}` },
      { reference: `Location/${input.locationId.toLowerCase()}` },
    ],
    ...(input.specialty ? { specialty: [{ text: input.specialty }] } : {}),
    ...(input.horizon ? { planningHorizon: input.horizon } : {}),
  };
}

export function toFhirSlot(
  input: {
    providerId: string;
    locationId: string;
    start: string;
    end: string;
    status: 'free' | 'busy' | 'busy-tentative';
  },
  ctx: MapContext,
): FhirSlot {
  return {
    resourceType: 'Slot',
    id: fhirIds.slot(input.providerId, input.start),
    meta: { source: ctx.source },
    schedule: { reference: `Schedule/${fhirIds.schedule(input.providerId, input.locationId)}` },
    status: input.status,
    start: input.start,
    end: input.end,
  };
}

const STATUS: Record<Appointment['status'], FhirAppointment['status']> = {
  booked: 'booked',
  arrived: 'arrived',
  fulfilled: 'fulfilled',
  cancelled: 'cancelled',
  noshow: 'noshow',
};

export function toFhirAppointment(
  a: Appointment,
  ctx: MapContext & { appointmentTypeName?: string },
): FhirAppointment {
  const minutes = Math.round((Date.parse(a.end) - Date.parse(a.start)) / 60_000);
  return {
    resourceType: 'Appointment',
    id: fhirIds.appointment(a.id),
    meta: { source: ctx.source, versionId: String(a.version), lastUpdated: a.updatedAt },
    identifier: [{ system: `${ctx.source}/appointment`, value: a.id }],
    status: STATUS[a.status],
    ...(ctx.appointmentTypeName ? { appointmentType: { text: ctx.appointmentTypeName } } : {}),
    ...(a.reason ? { reasonCode: [{ text: a.reason }] } : {}),
    ...(a.cancellationReason ? { cancelationReason: { text: a.cancellationReason } } : {}),
    start: a.start,
    end: a.end,
    minutesDuration: minutes,
    created: a.createdAt,
    participant: [
      {
        actor: { reference: `Patient/${a.patientId.toLowerCase()}` },
        status: 'accepted',
        required: 'required',
      },
      {
        actor: { reference: `Practitioner/${a.providerId.toLowerCase()}` },
        status: 'accepted',
        required: 'required',
      },
      {
        actor: { reference: `Location/${a.locationId.toLowerCase()}` },
        status: 'accepted',
        required: 'required',
      },
    ],
  };
}
