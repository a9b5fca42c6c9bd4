// Demo data for the local runtime: one user per role (the username is the role) and the demo patient the
// `patient` user is linked to. Safe to run on every start: it changes nothing that is already there.

import type { Patient } from '#functions/patients/schemas.ts';
import { DynamoPatientStore } from '#functions/patients/store.ts';
import { ROLES } from '#shared/auth/roles.ts';
import { nowIso } from '#shared/clock.ts';
import type { LocalCognito } from './cognito.ts';

/** The password of every demo user (local runtime only; printed at start, written in the README). */
export const DEMO_PASSWORD = 'Continuum-Demo-2026!';

/** Fixed, so sample events and the README can name the demo patient. */
export const DEMO_PATIENT_ID = '01KAXDEM0PAT1ENT0000000001';

export const DEMO_PATIENT: Omit<
  Patient,
  'id' | 'version' | 'createdAt' | 'updatedAt' | 'createdBy' | 'updatedBy'
> = {
  mrn: 'DEMO-0001',
  name: { given: ['Ada'], family: 'Demo' },
  birthDate: '1980-04-12',
  gender: 'female',
  contact: { phone: '+1 555 0100', email: 'ada.demo@example.org' },
  preferredLanguage: 'en',
};

export async function seedDemo(cognito: LocalCognito): Promise<{ users: string[]; patientId: string }> {
  const store = new DynamoPatientStore();
  if (!(await store.get(DEMO_PATIENT_ID))) {
    const now = nowIso();
    const patient: Patient = {
      ...DEMO_PATIENT,
      id: DEMO_PATIENT_ID,
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: 'system:seed',
      updatedBy: 'system:seed',
    };
    await store.create(
      { principal: { sub: 'system:seed', username: 'seed', roles: ['admin'] }, requestId: 'seed' },
      patient,
      { status: 201, headers: {}, body: patient },
    );
  }
  for (const role of ROLES) {
    cognito.upsertUser({
      username: role,
      password: DEMO_PASSWORD,
      groups: [role],
      attributes: role === 'patient' ? { 'custom:patientId': DEMO_PATIENT_ID } : {},
    });
  }
  return { users: [...ROLES], patientId: DEMO_PATIENT_ID };
}
