// EHR exchange on the local runtime: consent decides, record by record, what reaches the FHIR store (standing
// in for HealthLake), within seconds, through faults.
import { readFileSync } from 'node:fs';
import { validateResource } from '@medplum/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  client,
  setConsent as consent,
  eventually,
  expectData,
  fhir,
  newPatientBody,
  fhirResource as read,
  runtime,
} from '../support/api.ts';
import { loadFhirDefinitions } from '../support/fhir.ts';
import { nextWeekday, setUpPractice } from '../support/scheduling.ts';

const faults = (body: unknown) =>
  fetch(`${new URL(runtime().fhirBaseUrl).origin}/$fault`, {
    method: body ? 'POST' : 'DELETE',
    headers: { 'Content-Type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

async function gone(type: string, id: string): Promise<true | undefined> {
  const res = await fhir(`${type}/${id}`);
  return res.status === 404 || res.status === 410 ? true : undefined;
}

/** A new patient, registered through the typed client. */
async function newPatient(body = newPatientBody()) {
  return expectData(await client().POST('/v1/patients', { body }), 201);
}

function deadLetters(): string[] {
  try {
    return readFileSync(runtime().deadLetterFile, 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

beforeAll(() => loadFhirDefinitions());
afterEach(async () => {
  await faults(undefined);
});

describe('consent', () => {
  it('defaults to none, records who set it, and rejects bad input naming the field', async () => {
    const created = await newPatient();
    const path = { patientId: created.id };
    const initial = await client().GET('/v1/patients/{patientId}/sharing', { params: { path } });
    expect(initial.data).toMatchObject({ mode: 'none', categories: [], version: 0 });
    expect(initial.response.headers.get('etag')).toBe('"0"');
    // An unknown category is outside the contract: only a raw call can send one.
    const bad = await api('PUT', `/v1/patients/${created.id}/sharing`, {
      body: { mode: 'categories', categories: ['gossip'] },
      headers: { 'If-Match': '"0"' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field)).toEqual(['body.categories.0']);
    const set = await consent(created.id, { mode: 'categories', categories: ['demographics'] }, 'clinician');
    const recorded = expectData(set, 200);
    expect(recorded).toMatchObject({ mode: 'categories', categories: ['demographics'], version: 1 });
    expect(recorded.updatedBy).toBeTruthy();
    const stale = await client().PUT('/v1/patients/{patientId}/sharing', {
      params: { path, header: { 'If-Match': '"0"' } },
      body: { mode: 'all' },
    });
    expect(stale.response.status).toBe(412);
  });
});

describe('the mirror', () => {
  it('mirrors a consenting patient as valid US Core FHIR within 5 s, updates without duplicates, and deletes on revoke', async () => {
    const created = await api('POST', '/v1/patients', { body: newPatientBody() });
    const id = created.body.id as string;
    const fhirId = id.toLowerCase();
    expect((await consent(id, { mode: 'all' })).response.status).toBe(200);

    const patient = await eventually(() => read('Patient', fhirId));
    expect(() => validateResource(patient)).not.toThrow();
    expect(patient.meta.source).toBe('urn:continuum:local');
    expect(patient.meta.profile).toContain('http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient');
    // US Core Patient must-support elements we hold.
    expect(patient.identifier[0]).toMatchObject({
      system: 'urn:continuum:local:mrn',
      value: created.body.mrn,
    });
    expect(patient.name[0]).toMatchObject({
      family: created.body.name.family,
      given: created.body.name.given,
    });
    expect(patient.gender).toBe('female');
    expect(patient.birthDate).toBe(created.body.birthDate);
    expect(patient.telecom.length).toBeGreaterThan(0);
    expect(patient.communication[0].language.coding[0].code).toBe('es-MX');
    const consentResource = await eventually(() => read('Consent', `consent-${fhirId}`));
    expect(() => validateResource(consentResource)).not.toThrow();
    expect(consentResource.status).toBe('active');

    const firstVersion = patient.meta.versionId;
    const updated = await api('PATCH', `/v1/patients/${id}`, {
      body: { gender: 'other' },
      headers: { 'If-Match': '"1"' },
    });
    expect(updated.status).toBe(200);
    const newer = await eventually(async () => {
      const r = await read('Patient', fhirId);
      return r?.gender === 'other' ? r : undefined;
    });
    expect(newer.meta.versionId).not.toBe(firstVersion);
    const byMrn = await (
      await fhir(`Patient?identifier=${encodeURIComponent(`urn:continuum:local:mrn|${created.body.mrn}`)}`)
    ).json();
    expect(byMrn.entry).toHaveLength(1);

    expect((await consent(id, { mode: 'none' })).response.status).toBe(200);
    await eventually(() => gone('Patient', fhirId));
    await eventually(() => gone('Consent', `consent-${fhirId}`));
  });

  it('a visit’s problem, vitals and signed note arrive as valid US Core resources; a draft note never does', async () => {
    const created = await api('POST', '/v1/patients', { body: newPatientBody() });
    const id = created.body.id as string;
    await consent(id, { mode: 'all' });
    const encounter = await api('POST', `/v1/patients/${id}/encounters`, {
      user: 'front-desk',
      body: {
        class: 'ambulatory',
        provider: { id: '01KAXDEM0000000000000000P1', name: 'Dr. Rao' },
        reason: 'Follow-up',
      },
    });
    expect(encounter.status).toBe(201);
    const vitals = await api('POST', `/v1/patients/${id}/vitals`, {
      user: 'nurse',
      body: {
        encounterId: encounter.body.id,
        bloodPressure: { systolic: 128, diastolic: 82 },
        heartRate: 72,
      },
    });
    expect(vitals.status).toBe(201);
    const problem = await api('POST', `/v1/patients/${id}/problems`, {
      user: 'clinician',
      body: { code: 'I10', display: 'Essential (primary) hypertension', onset: '2024-05-01' },
    });
    expect(problem.status).toBe(201);
    const note = await api('POST', `/v1/patients/${id}/notes`, {
      user: 'clinician',
      body: { encounterId: encounter.body.id, subjective: 'Feels well.' },
    });
    const draft = await api('POST', `/v1/patients/${id}/notes`, {
      user: 'clinician',
      body: { encounterId: encounter.body.id, subjective: 'Unfinished.' },
    });
    const signed = await api('POST', `/v1/patients/${id}/notes/${note.body.id}/sign`, {
      user: 'clinician',
      headers: { 'If-Match': `"${note.body.version}"` },
    });
    expect(signed.status).toBe(200);

    const condition = await eventually(() => read('Condition', problem.body.id.toLowerCase()));
    const document = await eventually(() => read('DocumentReference', note.body.id.toLowerCase()));
    const observations = await eventually(async () => {
      const res = await (await fhir(`Observation?patient=Patient/${id.toLowerCase()}`)).json();
      return (res.entry?.length ?? 0) >= 2 ? res.entry.map((e: any) => e.resource) : undefined;
    });
    for (const resource of [condition, document, ...observations]) {
      expect(() => validateResource(resource)).not.toThrow();
      expect(resource.meta.source).toBe('urn:continuum:local');
      expect(resource.meta.profile?.[0]).toMatch(
        /^http:\/\/hl7\.org\/fhir\/(us\/core\/)?StructureDefinition\//,
      );
      expect(resource.subject?.reference ?? resource.patient?.reference).toBe(`Patient/${id.toLowerCase()}`);
    }
    // US Core must-support elements.
    expect(condition).toMatchObject({
      clinicalStatus: expect.any(Object),
      category: expect.any(Array),
      code: expect.any(Object),
    });
    expect(document).toMatchObject({
      status: 'current',
      type: expect.any(Object),
      content: expect.any(Array),
    });
    for (const o of observations)
      expect(o).toMatchObject({ status: 'final', category: expect.any(Array), code: expect.any(Object) });
    await new Promise((r) => setTimeout(r, 500));
    expect(await read('DocumentReference', draft.body.id.toLowerCase())).toBeUndefined();
  });

  it('never sends a category the patient did not consent to, and backfills history on grant', async () => {
    const practice = await setUpPractice();
    const created = await api('POST', '/v1/patients', { body: newPatientBody() });
    const id = created.body.id as string;
    const slot = (
      await api(
        'GET',
        `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=${nextWeekday(2)}&to=${nextWeekday(2)}`,
      )
    ).body.slots[0];
    const booked = await api('POST', '/v1/appointments', {
      body: {
        patientId: id,
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start: slot.start,
      },
    });
    expect(booked.status).toBe(201);
    // Only demographics: the appointment (booked before consent) must not leave.
    await consent(id, { mode: 'categories', categories: ['demographics'] });
    await eventually(() => read('Patient', id.toLowerCase()));
    await new Promise((r) => setTimeout(r, 1000));
    expect(await read('Appointment', booked.body.id.toLowerCase())).toBeUndefined();
    // Granting appointments later mirrors the existing appointment (backfill on grant).
    await consent(id, { mode: 'categories', categories: ['demographics', 'appointments'] });
    const appointment = await eventually(() => read('Appointment', booked.body.id.toLowerCase()));
    expect(() => validateResource(appointment)).not.toThrow();
    // Dropping the category deletes it again; demographics stay.
    await consent(id, { mode: 'categories', categories: ['demographics'] });
    await eventually(() => gone('Appointment', booked.body.id.toLowerCase()));
    expect(await read('Patient', id.toLowerCase())).toBeDefined();
  });

  it('with 30 % of FHIR requests failing, every record arrives exactly once and nothing is dead-lettered', async () => {
    const before = deadLetters().length;
    await faults({ failRatio: 0.3, status: 503 });
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const created = await newPatient();
      ids.push(created.id);
      await consent(created.id, { mode: 'all' });
    }
    for (const id of ids) await eventually(() => read('Patient', id.toLowerCase()), 15_000);
    await faults(undefined);
    for (const id of ids) {
      const history = await (await fhir(`Patient/${id.toLowerCase()}/_history`)).json();
      // Exactly once: one version per source version (each patient was written once, at version 1).
      expect(history.entry).toHaveLength(1);
    }
    expect(deadLetters().length).toBe(before);
  }, 30_000);

  it('a resource the store rejects goes to the dead letters, while the rest of its batch arrives', async () => {
    const good = await newPatient();
    const bad = await newPatient();
    await faults({ failRatio: 0, status: 500, rejectIds: [bad.id.toLowerCase()] });
    const before = deadLetters().length;
    await Promise.all([consent(good.id, { mode: 'all' }), consent(bad.id, { mode: 'all' })]);
    await eventually(() => read('Patient', good.id.toLowerCase()));
    const letters = await eventually(async () => {
      const now = deadLetters().slice(before);
      return now.some((l) => l.includes(bad.id.toLowerCase())) ? now : undefined;
    });
    const entry = JSON.parse(letters.find((l) => l.includes(bad.id.toLowerCase())) as string);
    expect(entry).toMatchObject({
      resourceType: 'Patient',
      resourceId: bad.id.toLowerCase(),
      issues: [{ code: 'business-rule' }],
    });
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThan(500);
    // No PHI in the dead letter: ids and codes only.
    expect(JSON.stringify(entry)).not.toContain(bad.name.family);
    expect(await read('Patient', bad.id.toLowerCase())).toBeUndefined();
  });
});

describe('the longitudinal record', () => {
  it('shows what another organisation shared, labelled with its source, and our own copies once', async () => {
    const body = newPatientBody();
    const created = await newPatient(body);
    await consent(created.id, { mode: 'all' });
    await eventually(() => read('Patient', created.id.toLowerCase()));
    // Another organisation put the same person (by name and birth date) and a condition into the store.
    const other = await (
      await fhir('Patient', {
        method: 'POST',
        headers: { 'Content-Type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Patient',
          meta: { source: 'urn:example:riverside-hospital' },
          name: [{ family: body.name.family, given: body.name.given }],
          birthDate: body.birthDate,
          gender: 'female',
        }),
      })
    ).json();
    await fhir('Condition', {
      method: 'POST',
      headers: { 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Condition',
        meta: { source: 'urn:example:riverside-hospital' },
        subject: { reference: `Patient/${other.id}` },
        code: { text: 'Asthma' },
        recordedDate: '2025-02-01',
      }),
    });
    const longitudinal = (user: string) =>
      client(user).GET('/v1/patients/{patientId}/longitudinal', {
        params: { path: { patientId: created.id } },
      });
    const record = expectData(await longitudinal('clinician'), 200);
    expect(record.sources).toEqual(
      expect.arrayContaining(['urn:continuum:local', 'urn:example:riverside-hospital']),
    );
    const external = record.entries.filter((e) => e.origin === 'external');
    expect(external.map((e) => e.resourceType).sort()).toEqual(['Condition', 'Patient']);
    for (const e of external) expect(e.source).toBe('urn:example:riverside-hospital');
    const ourPatients = record.entries.filter(
      (e) => e.resourceType === 'Patient' && e.source === 'urn:continuum:local',
    );
    expect(ourPatients).toHaveLength(1);
    expect((await longitudinal('billing')).response.status).toBe(403);
  });
});

describe('bulk export', () => {
  it('writes the practice’s shared resources as NDJSON and reports them', async () => {
    const created = await newPatient();
    await consent(created.id, { mode: 'all' });
    await eventually(() => read('Patient', created.id.toLowerCase()));
    const started = expectData(await client('admin').POST('/v1/exports', { body: {} }), 202);
    const job = expectData(
      await client('admin').GET('/v1/exports/{exportId}', { params: { path: { exportId: started.id } } }),
      200,
    );
    expect(job.status).toBe('completed');
    const patients = job.output?.find((o) => o.type === 'Patient');
    const lines = readFileSync(patients?.location ?? '', 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((p) => p.id === created.id.toLowerCase())).toBe(true);
    expect(lines.every((p) => p.meta.source === 'urn:continuum:local')).toBe(true);
    expect((await client('clinician').POST('/v1/exports', { body: {} })).response.status).toBe(403);
  });
});
