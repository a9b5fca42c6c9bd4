// Finding and registering a patient from another context's use case (an inbound referral names a person): the
// patients context reads its own indexes and builds the registration's writes; the caller commits them with its own.
import { type AuditEvent, succeeded } from '#shared/audit.ts';
import { newRecord, type Writer } from '#shared/records.ts';
import type { WriteOp } from '#shared/write.ts';
import type { CreatePatientBody, Patient } from './schemas.ts';
import { newMrn } from './service.ts';
import { createWrites, DynamoPatientStore } from './store.ts';

const store = new DynamoPatientStore();

/** One patient by id (consistent read), or undefined. */
export function patientById(patientId: string): Promise<Patient | undefined> {
  return store.get(patientId);
}

/**
 * The patients who could be this person: the one with the MRN, when an MRN of ours is known, and those with
 * this family name (exactly, by the name index's prefix then an equality check) and birth date. One Query each.
 */
export async function patientCandidates(person: {
  mrn?: string;
  family: string;
  birthDate?: string;
}): Promise<{ byMrn?: Patient; byDemographics: Patient[] }> {
  const [mrnPage, namePage] = await Promise.all([
    person.mrn ? store.search({ mrn: person.mrn, limit: 1 }) : Promise.resolve({ items: [] as Patient[] }),
    store.search({
      family: person.family,
      ...(person.birthDate ? { birthDate: person.birthDate } : {}),
      limit: 100,
    }),
  ]);
  return {
    ...(mrnPage.items[0] ? { byMrn: mrnPage.items[0] } : {}),
    byDemographics: namePage.items,
  };
}

/** A new patient (with a new MRN when none is given), the writes that register it and its audit event. */
export function registerPatient(
  ctx: Writer,
  body: CreatePatientBody,
): { patient: Patient; ops: WriteOp[]; audit: AuditEvent[] } {
  const patient = newRecord(ctx, { ...body, mrn: body.mrn ?? newMrn() }) as Patient;
  return {
    patient,
    ops: createWrites(patient),
    audit: [succeeded('patient.create', 'Patient', patient.id, patient.id)],
  };
}
