// Recovering the FHIR store (issue 19, item 8): HealthLake has no AWS Backup support, and it holds nothing the
// table does not (the mirror writes it from the table). So the recovery is a re-mirror: lose what the store held
// for a patient, run the backfill, and the store holds the same resources again.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  api,
  eventually,
  expectData,
  fhir,
  MIRROR_WAIT_MS,
  newPatientBody,
  fhirResource as read,
  setConsent,
} from '../support/api.ts';
import { nextWeekday, setUpPractice } from '../support/scheduling.ts';

/** A resource as the practice wrote it: the store's own bookkeeping (version id, last updated) left out. */
function content(resource: Record<string, any>): Record<string, any> {
  const { versionId: _v, lastUpdated: _l, ...meta } = resource.meta ?? {};
  return { ...resource, meta };
}

describe('recovering the FHIR store', () => {
  it('re-mirrors a patient whose resources the store lost, from the table, identical to before', async () => {
    const practice = await setUpPractice();
    const patientId = (await api('POST', '/v1/patients', { body: newPatientBody() })).body.id as string;
    const day = nextWeekday(3);
    const slot = (
      await api(
        'GET',
        `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=${day}&to=${day}`,
      )
    ).body.slots[0];
    const appointmentId = (
      await api('POST', '/v1/appointments', {
        body: {
          patientId,
          providerId: practice.providerId,
          appointmentTypeId: practice.typeId,
          start: slot.start,
        },
      })
    ).body.id as string;
    expectData(await setConsent(patientId, { mode: 'all' }), 200);
    const mirrored = {
      Patient: await eventually(() => read('Patient', patientId.toLowerCase()), MIRROR_WAIT_MS),
      Appointment: await eventually(() => read('Appointment', appointmentId.toLowerCase()), MIRROR_WAIT_MS),
    };

    // The store loses everything it held for the patient.
    for (const [type, resource] of Object.entries(mirrored)) {
      expect((await fhir(`${type}/${resource.id}`, { method: 'DELETE' })).ok).toBe(true);
      expect(await read(type, resource.id)).toBeUndefined();
    }

    // The re-mirror: the backfill, run as for a restored store (docs/deploy.md#recovering-the-fhir-store).
    const backfill = await api('POST', `/v1/patients/${patientId}/sharing/backfill`, {
      body: {},
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(backfill.status).toBe(200);
    expect(backfill.body).toMatchObject({ pending: 0, deadLettered: 0 });
    expect(backfill.body.written).toBeGreaterThanOrEqual(2);
    for (const [type, before] of Object.entries(mirrored)) {
      const after = await read(type, before.id);
      expect(after, type).toBeDefined();
      expect(content(after ?? {}), type).toEqual(content(before));
    }
  });
});
