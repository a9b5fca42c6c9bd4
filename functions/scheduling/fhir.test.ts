// The scheduling FHIR mappers produce valid R4 resources with stable ids.
import { validateResource } from '@medplum/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../../test/support/fhir.ts';
import { fhirIds, toFhirAppointment, toFhirSchedule, toFhirSlot } from './fhir.ts';
import type { Appointment } from './schemas.ts';

const ctx = { source: 'urn:continuum:practice:acme' };
const appointment: Appointment = {
  id: '01KAXDEM0000000000000000A1',
  version: 3,
  createdAt: '2026-11-24T10:00:00.000Z',
  updatedAt: '2026-11-24T11:00:00.000Z',
  createdBy: 'u',
  updatedBy: 'u',
  status: 'cancelled',
  patientId: '01KAXDEM0PAT1ENT0000000001',
  providerId: '01KAXDEM0000000000000000P1',
  locationId: '01KAXDEM0000000000000000S1',
  appointmentTypeId: '01KAXDEM0000000000000000T1',
  start: '2026-12-07T14:00:00.000Z',
  end: '2026-12-07T14:30:00.000Z',
  busyUntil: '2026-12-07T14:40:00.000Z',
  reason: 'Follow-up',
  cancellationReason: 'Patient request',
};

beforeAll(() => loadFhirDefinitions());

describe('scheduling FHIR mappers', () => {
  it('map to valid R4 Schedule, Slot and Appointment resources', () => {
    const schedule = toFhirSchedule(
      {
        providerId: appointment.providerId,
        locationId: appointment.locationId,
        specialty: 'Family medicine',
      },
      ctx,
    );
    const slot = toFhirSlot(
      {
        providerId: appointment.providerId,
        locationId: appointment.locationId,
        start: appointment.start,
        end: appointment.end,
        status: 'busy',
      },
      ctx,
    );
    const fhir = toFhirAppointment(appointment, { ...ctx, appointmentTypeName: 'Follow-up visit' });
    for (const resource of [schedule, slot, fhir]) expect(() => validateResource(resource)).not.toThrow();
    expect(fhir).toMatchObject({
      status: 'cancelled',
      minutesDuration: 30,
      cancelationReason: { text: 'Patient request' },
    });
    expect(fhir.participant.map((p) => p.actor?.reference)).toEqual([
      'Patient/01kaxdem0pat1ent0000000001',
      'Practitioner/01kaxdem0000000000000000p1',
      'Location/01kaxdem0000000000000000s1',
    ]);
    expect(slot.schedule.reference).toBe(`Schedule/${schedule.id}`);
  });

  it('gives the same record the same legal id every time', () => {
    const ids = [
      fhirIds.schedule(appointment.providerId, appointment.locationId),
      fhirIds.slot(appointment.providerId, appointment.start),
      fhirIds.appointment(appointment.id),
    ];
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(fhirIds.slot(appointment.providerId, appointment.start)).toBe(
      fhirIds.slot(appointment.providerId, '2026-12-07T14:00:00Z'),
    );
  });

  it('is caught by validation when a resource is wrong (the check can fail)', () => {
    const broken = { ...toFhirAppointment(appointment, ctx), start: 'not-a-date' };
    expect(() => validateResource(broken)).toThrow();
  });
});
