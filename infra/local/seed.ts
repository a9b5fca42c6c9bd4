// Demo data for the local runtime: one user per role (the username is the role), the demo patient the `patient`
// user is linked to, and the demo practice's location, provider and appointment type (fixed ids, so the README's
// walk-throughs and the sample events name records that exist). Safe to run on every start: it changes nothing
// that is already there.

import type { FeeScheduleEntry, StoredCoverage, StoredPayer } from '#functions/billing/model.ts';
import { BillingProfileBody, CreateCoverageBody, CreatePayerBody } from '#functions/billing/schemas.ts';
import { DynamoBillingStore } from '#functions/billing/store.ts';
import type { Patient } from '#functions/patients/schemas.ts';
import { DynamoPatientStore } from '#functions/patients/store.ts';
import { directoryKeys } from '#functions/referrals/keys.ts';
import { CreateDirectoryEntryBody } from '#functions/referrals/schemas.ts';
import { ReferralService } from '#functions/referrals/service.ts';
import { CatalogService } from '#functions/scheduling/catalog.ts';
import type { SchedulingContext } from '#functions/scheduling/context.ts';
import { appointmentTypeKeys, locationKeys, providerKeys } from '#functions/scheduling/keys.ts';
import {
  CreateAppointmentTypeBody,
  CreateLocationBody,
  CreateProviderBody,
} from '#functions/scheduling/schemas.ts';
import { succeeded } from '#shared/audit.ts';
import { ROLES } from '#shared/auth/roles.ts';
import { nowIso } from '#shared/clock.ts';
import { getItems, itemAt } from '#shared/dynamodb.ts';
import { newRecord } from '#shared/records.ts';
import type { LocalCognito } from './cognito.ts';

/** The password of every demo user (local runtime only; printed at start, written in the README). */
export const DEMO_PASSWORD = 'Continuum-Demo-2026!';

/** Fixed, so sample events and the README can name the demo patient. */
export const DEMO_PATIENT_ID = '01KAXDEM0PAT1ENT0000000001';

/** The demo practice's records, fixed like the demo patient's id. */
export const DEMO_LOCATION_ID = '01KAXDEM0000000000000000S1';
export const DEMO_PROVIDER_ID = '01KAXDEM0000000000000000P1';
export const DEMO_APPOINTMENT_TYPE_ID = '01KAXDEM0000000000000000T1';
/** The Cognito attributes each demo user carries: the ids that bind it to what it may see. */
export function demoAttributes(role: string): Record<string, string> {
  if (role === 'patient') return { 'custom:patientId': DEMO_PATIENT_ID };
  if (role === 'external-provider') return { 'custom:practitionerId': DEMO_EXTERNAL_PRACTITIONER_ID };
  return {};
}

export const DEMO_LOCATION = {
  name: 'Main Street Clinic',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'MA', postalCode: '01101' },
  timeZone: 'America/New_York',
};
export const DEMO_PROVIDER = {
  name: { given: ['Anika'], family: 'Rao', prefix: 'Dr.' },
  /** A valid NPI (check digit) that no sample request uses, so creating the sample provider still works. */
  npi: '1999999992',
  specialty: 'Family medicine',
  locationIds: [DEMO_LOCATION_ID],
};
/**
 * The demo referral directory: two organisations and their practitioners. Dr. Lena Okafor (cardiology, Hudson Heart
 * Associates) is the practitioner the demo `external-provider` user is bound to.
 */
export const DEMO_CARDIOLOGY_ORGANIZATION_ID = '01KAXDEM000000000000000RG1';
export const DEMO_CARDIOLOGIST_ID = '01KAXDEM000000000000000RD1';
/**
 * The directory practitioner the `external-provider` demo user is bound to through its `custom:practitionerId`
 * claim (decision 33): referrals sent to Dr. Okafor are what that user sees.
 */
export const DEMO_EXTERNAL_PRACTITIONER_ID = DEMO_CARDIOLOGIST_ID;
export const DEMO_ORTHOPEDICS_ORGANIZATION_ID = '01KAXDEM000000000000000RG2';
export const DEMO_DERMATOLOGIST_ID = '01KAXDEM000000000000000RD2';
export const DEMO_DIRECTORY: { id: string; entry: Record<string, unknown> }[] = [
  {
    id: DEMO_CARDIOLOGY_ORGANIZATION_ID,
    entry: {
      kind: 'organization',
      name: 'Hudson Heart Associates',
      npi: '1245319599',
      specialty: { code: '207RC0000X', display: 'Cardiovascular Disease Physician' },
      address: { line: ['200 River Road'], city: 'Albany', state: 'NY', postalCode: '12207' },
      phone: '+1 518 555 0100',
      fax: '+1 518 555 0101',
      directAddress: 'referrals@direct.hudsonheart.example',
      fhirEndpoint: 'https://fhir.hudsonheart.example/r4',
      acceptedInsurances: ['Aetna', 'Medicare', 'UnitedHealthcare'],
    },
  },
  {
    id: DEMO_CARDIOLOGIST_ID,
    entry: {
      kind: 'practitioner',
      name: 'Dr. Lena Okafor',
      practitionerName: { given: ['Lena'], family: 'Okafor', prefix: 'Dr.' },
      npi: '1234567893',
      specialty: { code: '207RC0000X', display: 'Cardiovascular Disease Physician' },
      organizationId: DEMO_CARDIOLOGY_ORGANIZATION_ID,
      phone: '+1 518 555 0110',
      directAddress: 'okafor@direct.hudsonheart.example',
      acceptedInsurances: ['Aetna', 'Medicare'],
    },
  },
  {
    id: DEMO_ORTHOPEDICS_ORGANIZATION_ID,
    entry: {
      kind: 'organization',
      name: 'Springfield Orthopaedic Group',
      npi: '1654321987',
      specialty: { code: '207X00000X', display: 'Orthopaedic Surgery Physician' },
      address: { line: ['45 Elm Street'], city: 'Springfield', state: 'MA', postalCode: '01103' },
      phone: '+1 413 555 0200',
      fax: '+1 413 555 0201',
      acceptedInsurances: ['Blue Cross Blue Shield', 'Medicare'],
    },
  },
  {
    id: DEMO_DERMATOLOGIST_ID,
    entry: {
      kind: 'practitioner',
      name: 'Dr. Tomás Ibáñez',
      practitionerName: { given: ['Tomás'], family: 'Ibáñez', prefix: 'Dr.' },
      npi: '1876543210',
      specialty: { code: '207N00000X', display: 'Dermatology Physician' },
      phone: '+1 413 555 0300',
      fax: '+1 413 555 0301',
      acceptedInsurances: ['Aetna'],
    },
  },
];

/** The demo directory entries, where missing (organisations first: a practitioner names its organisation). */
async function seedDirectory(): Promise<void> {
  const service = new ReferralService();
  const found = await getItems(DEMO_DIRECTORY.map((d) => directoryKeys.item(d.id)));
  for (const { id, entry } of DEMO_DIRECTORY) {
    if (itemAt(found, directoryKeys.item(id))) continue;
    await service.createDirectoryEntry(SEED_CONTEXT, CreateDirectoryEntryBody.parse(entry), id);
  }
}

export const DEMO_APPOINTMENT_TYPE = { name: 'Follow-up visit', durationMinutes: 20, bufferAfterMinutes: 5 };

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

/** The demo practice's billing set-up: a Medicare Part B and a commercial payer, a few fees, the demo patient's plan. */
export const DEMO_MEDICARE_PAYER_ID = '01KAXDEM00000000000000PAY1';
export const DEMO_COMMERCIAL_PAYER_ID = '01KAXDEM00000000000000PAY2';
export const DEMO_COVERAGE_ID = '01KAXDEM00000000000000C0V1';
export const DEMO_BILLING_PROFILE = {
  name: 'Main Street Clinic',
  npi: '1234567893',
  taxId: '12-3456789',
  taxonomy: '207Q00000X',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'MA', postalCode: '01101-1234' },
  submitter: {
    id: 'MAINST01',
    name: 'Main Street Clinic',
    contactName: 'Billing Office',
    phone: '413-555-0100',
  },
  receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
};
export const DEMO_PAYERS = [
  {
    id: DEMO_MEDICARE_PAYER_ID,
    name: 'Medicare Part B (demo)',
    payerId: 'MCRDEMO',
    filingIndicator: 'MB',
    timelyFilingDays: 365,
  },
  {
    id: DEMO_COMMERCIAL_PAYER_ID,
    name: 'Acme Health Plan (demo)',
    payerId: 'ACMEDEMO',
    filingIndicator: 'CI',
    timelyFilingDays: 180,
  },
];
/** Code, charge and each payer's allowed amount, in cents (codes only: no AMA descriptions). */
export const DEMO_FEES: [code: string, charge: number, medicare: number, commercial: number][] = [
  ['99203', 15000, 10900, 12000],
  ['99213', 11000, 7600, 9000],
  ['99214', 16000, 11000, 13000],
  ['36415', 1500, 300, 1000],
  ['82947', 1800, 500, 1200],
  ['G0439', 17500, 11700, 14000],
];

const SEED_CONTEXT: SchedulingContext = {
  principal: { sub: 'system:seed', username: 'seed', roles: ['admin'] },
  requestId: 'seed',
};

/** The demo location, provider (with an empty schedule, version 1) and appointment type, where missing. */
async function seedPractice(): Promise<void> {
  const catalog = new CatalogService();
  // Through the request schemas, so defaults (country, grid) are filled as for a request.
  const keys = {
    location: locationKeys.item(DEMO_LOCATION_ID),
    provider: providerKeys.profile(DEMO_PROVIDER_ID),
    type: appointmentTypeKeys.item(DEMO_APPOINTMENT_TYPE_ID),
  };
  const found = await getItems(Object.values(keys));
  if (!itemAt(found, keys.location))
    await catalog.createLocation(SEED_CONTEXT, CreateLocationBody.parse(DEMO_LOCATION), DEMO_LOCATION_ID);
  if (!itemAt(found, keys.provider))
    await catalog.createProvider(SEED_CONTEXT, CreateProviderBody.parse(DEMO_PROVIDER), DEMO_PROVIDER_ID);
  if (!itemAt(found, keys.type))
    await catalog.createAppointmentType(
      SEED_CONTEXT,
      CreateAppointmentTypeBody.parse(DEMO_APPOINTMENT_TYPE),
      DEMO_APPOINTMENT_TYPE_ID,
    );
}

/** The billing profile, payers, fee schedule and the demo patient's coverage, where missing. */
async function seedBilling(): Promise<void> {
  const store = new DynamoBillingStore();
  const ctx = { ...SEED_CONTEXT };
  const write = <T>(after: T) => ({
    before: undefined,
    after,
    audit: [],
    response: { status: 201, headers: {}, body: {} },
  });
  if (!(await store.getProfile()))
    await store.putProfile(
      ctx,
      write(newRecord(ctx, BillingProfileBody.parse(DEMO_BILLING_PROFILE), 'billing-profile')),
    );
  const payers = await store.listPayers();
  for (const { id, ...payer } of DEMO_PAYERS) {
    if (!payers.some((p) => p.id === id))
      await store.putPayer(ctx, write<StoredPayer>(newRecord(ctx, CreatePayerBody.parse(payer), id)));
  }
  const fees = await store.listFees();
  for (const [code, charge, medicare, commercial] of DEMO_FEES) {
    if (fees.some((f) => f.code === code && f.modifier === undefined)) continue;
    const allowed = { [DEMO_MEDICARE_PAYER_ID]: medicare, [DEMO_COMMERCIAL_PAYER_ID]: commercial };
    await store.putFee(ctx, write<FeeScheduleEntry>(newRecord(ctx, { code, charge, allowed }, code)));
  }
  if (!(await store.getCoverage(DEMO_PATIENT_ID, DEMO_COVERAGE_ID))) {
    const body = CreateCoverageBody.parse({
      payerId: DEMO_COMMERCIAL_PAYER_ID,
      order: 'primary',
      memberId: 'ACM123456789',
      groupNumber: 'G-4410',
      relationship: 'self',
      start: '2024-01-01',
    });
    await store.putCoverage(
      ctx,
      write<StoredCoverage>(newRecord(ctx, { ...body, patientId: DEMO_PATIENT_ID }, DEMO_COVERAGE_ID)),
    );
  }
}

export async function seedDemo(cognito: LocalCognito): Promise<{ users: string[]; patientId: string }> {
  await seedPractice();
  await seedDirectory();
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
      {
        audit: [succeeded('patient.create', 'Patient', patient.id, patient.id)],
        response: { status: 201, headers: {}, body: patient },
      },
    );
  }
  await seedBilling();
  for (const role of ROLES) {
    cognito.upsertUser({
      username: role,
      password: DEMO_PASSWORD,
      groups: [role],
      attributes: demoAttributes(role),
    });
  }
  return { users: [...ROLES], patientId: DEMO_PATIENT_ID };
}
