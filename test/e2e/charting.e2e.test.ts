// Charting end to end over HTTP, as the front end and each role see it: a whole visit documented through the API,
// signed notes that cannot change, bad input refused by field with nothing written, and what a patient may see.
import { describe, expect, it } from 'vitest';
import { DEMO_LOCATION_ID, DEMO_PATIENT_ID, DEMO_PROVIDER_ID } from '../../infra/local/seed.ts';
import { newId } from '../../shared/ids.ts';
import { api, fieldsOf, ifMatch, newPatientBody } from '../support/api.ts';
import { newProviderId } from '../support/scheduling.ts';

const chartPath = (patientId: string, rest = '') => `/v1/patients/${patientId}${rest}`;

async function newPatient(): Promise<string> {
  const res = await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function openEncounter(patientId: string, providerId = DEMO_PROVIDER_ID, user = 'front-desk') {
  const res = await api('POST', chartPath(patientId, '/encounters'), {
    user,
    body: { class: 'ambulatory', provider: { id: providerId, name: 'Dr. Ada Byron' }, reason: 'Follow-up' },
  });
  expect(res.status).toBe(201);
  return res.body;
}

async function draftNote(patientId: string, encounterId: string, user = 'clinician') {
  const res = await api('POST', chartPath(patientId, '/notes'), { user, body: { encounterId } });
  expect(res.status).toBe(201);
  return res.body;
}

describe('a scripted visit, documented and read through the API alone', () => {
  it('check in → vitals → note → sign → problem and medication → lab result → inbox → review → the chart', async () => {
    const patientId = DEMO_PATIENT_ID;
    // A provider of its own, so its results inbox holds only this visit's.
    const providerId = await newProviderId();

    // Check-in: the front desk opens the encounter.
    const encounter = await openEncounter(patientId, providerId);
    expect(encounter).toMatchObject({ status: 'in-progress', class: 'ambulatory', version: 1 });
    expect(encounter.id).toMatch(/^[0-9A-Z]{26}$/);

    // The nurse takes vitals: BMI is derived, each measurement is LOINC coded with a UCUM unit.
    const vitals = await api('POST', chartPath(patientId, '/vitals'), {
      user: 'nurse',
      body: {
        encounterId: encounter.id,
        bloodPressure: { systolic: 132, diastolic: 84 },
        heartRate: 76,
        oxygenSaturation: 97,
        temperature: { value: 98.4, unit: '[degF]' },
        weight: { value: 82.5, unit: 'kg' },
        height: { value: 176, unit: 'cm' },
      },
    });
    expect(vitals.status).toBe(201);
    expect(vitals.body.bmi).toBe(26.6);
    expect(vitals.body.observations.map((o: any) => [o.code, o.unit])).toEqual([
      ['85354-9', undefined],
      ['8867-4', '/min'],
      ['8310-5', '[degF]'],
      ['2708-6', '%'],
      ['29463-7', 'kg'],
      ['8302-2', 'cm'],
      ['39156-5', 'kg/m2'],
    ]);

    // The clinician drafts the note from a template, edits it, and signs the version she read.
    const templates = await api('GET', '/v1/note-templates', { user: 'clinician' });
    expect(templates.body.items.map((t: any) => t.id)).toEqual(
      expect.arrayContaining(['general-internal-medicine', 'pediatrics', 'dermatology']),
    );
    const note = await api('POST', chartPath(patientId, '/notes'), {
      user: 'clinician',
      body: { encounterId: encounter.id, subjective: 'Feels well; no hypoglycaemia.' },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ status: 'draft', templateId: 'general-internal-medicine', version: 1 });
    expect(note.body.objective).toContain('Vital signs');
    const edited = await api('PATCH', chartPath(patientId, `/notes/${note.body.id}`), {
      user: 'clinician',
      body: { assessment: 'Type 2 diabetes, controlled.', plan: 'Continue metformin. HbA1c in 3 months.' },
      headers: ifMatch(1),
    });
    expect(edited.status).toBe(200);
    const signed = await api('POST', chartPath(patientId, `/notes/${note.body.id}/sign`), {
      user: 'clinician',
      headers: ifMatch(edited.body.version),
    });
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ status: 'signed', version: 3, signedBy: { name: 'clinician' } });
    expect(Date.parse(signed.body.signedAt)).not.toBeNaN();
    const draft = await draftNote(patientId, encounter.id);

    // Problem and medication.
    const problem = await api('POST', chartPath(patientId, '/problems'), {
      user: 'clinician',
      body: {
        code: 'e119',
        display: 'Type 2 diabetes mellitus without complications',
        onset: '2021-03-01',
        treatmentPlan: [{ description: 'HbA1c every 3 months', status: 'in-progress' }],
        encounterId: encounter.id,
      },
    });
    expect(problem.status).toBe(201);
    expect(problem.body.code).toBe('E11.9');
    const medication = await api('POST', chartPath(patientId, '/medications'), {
      user: 'clinician',
      body: {
        code: '860975',
        display: 'metformin 500 MG Extended Release Oral Tablet',
        dose: { value: 500, unit: 'mg' },
        route: 'oral',
        frequency: 'BID',
        prescriber: { id: providerId, name: 'Dr. Ada Byron' },
      },
    });
    expect(medication.status).toBe(201);
    expect(medication.body).toMatchObject({ status: 'active', start: new Date().toISOString().slice(0, 10) });

    // Lab results arrive: a final one with a high glucose, and a preliminary one.
    const lab = (status: string, glucose: number) =>
      api('POST', chartPath(patientId, '/lab-results'), {
        user: 'nurse',
        body: {
          code: '24323-8',
          display: 'Comprehensive metabolic panel',
          status,
          orderingProviderId: providerId,
          issued: new Date().toISOString(),
          encounterId: encounter.id,
          results: [
            {
              code: '2345-7',
              display: 'Glucose',
              value: glucose,
              unit: 'mg/dL',
              referenceRange: { low: 70, high: 99 },
            },
          ],
        },
      });
    const preliminary = await lab('preliminary', 88);
    const final = await lab('final', 162);
    expect(final.status).toBe(201);
    expect(final.body).toMatchObject({
      abnormal: true,
      results: [{ interpretation: 'H', interpretationDerived: true }],
    });

    // The ordering provider's inbox: unreviewed, abnormal first.
    const inbox = await api('GET', `/v1/inbox/results?providerId=${providerId}`, { user: 'clinician' });
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((r: any) => r.id)).toEqual([final.body.id, preliminary.body.id]);

    // Reviewing an abnormal result needs the follow-up; then it leaves the inbox.
    const silent = await api('POST', chartPath(patientId, `/lab-results/${final.body.id}/review`), {
      user: 'clinician',
      body: {},
      headers: ifMatch(1),
    });
    expect(silent.status).toBe(422);
    expect(fieldsOf(silent.body)).toEqual(['body.comment']);
    const reviewed = await api('POST', chartPath(patientId, `/lab-results/${final.body.id}/review`), {
      user: 'clinician',
      body: { comment: 'Repeat fasting glucose; call patient.' },
      headers: ifMatch(1),
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body.review).toMatchObject({
      by: { name: 'clinician' },
      comment: 'Repeat fasting glucose; call patient.',
    });
    const after = await api('GET', `/v1/inbox/results?providerId=${providerId}`, { user: 'nurse' });
    expect(after.body.items.map((r: any) => r.id)).toEqual([preliminary.body.id]);

    const finished = await api('POST', chartPath(patientId, `/encounters/${encounter.id}/finish`), {
      user: 'front-desk',
      headers: ifMatch(1),
    });
    expect(finished.status).toBe(200);
    expect(finished.body).toMatchObject({ status: 'finished', version: 2 });
    expect(finished.body.end).toBeDefined();

    // The clinician's chart shows all of it, from one read.
    const chart = await api('GET', chartPath(patientId, '/chart'), { user: 'clinician' });
    expect(chart.status).toBe(200);
    expect(chart.body.patient.id).toBe(patientId);
    expect(chart.body.historyComplete).toBe(true);
    expect(chart.body.encounters[0]).toMatchObject({ id: encounter.id, status: 'finished' });
    expect(chart.body.latestVitals.id).toBe(vitals.body.id);
    expect(chart.body.notes.map((n: any) => n.id)).toEqual(
      expect.arrayContaining([signed.body.id, draft.id]),
    );
    expect(chart.body.problems.map((p: any) => p.id)).toContain(problem.body.id);
    expect(chart.body.medications.map((m: any) => m.id)).toContain(medication.body.id);
    expect(chart.body.labResults.map((r: any) => r.id)).toEqual(
      expect.arrayContaining([final.body.id, preliminary.body.id]),
    );
    expect(['unknown', 'no-known-allergies', 'has-allergies']).toContain(chart.body.allergies.status);

    // The patient sees only what is signed and final: no draft, no preliminary result, no review comment.
    const mine = await api('GET', chartPath(patientId, '/chart'), { user: 'patient' });
    expect(mine.status).toBe(200);
    const noteIds = mine.body.notes.map((n: any) => n.id);
    expect(noteIds).toContain(signed.body.id);
    expect(noteIds).not.toContain(draft.id);
    expect(mine.body.notes.every((n: any) => n.status === 'signed')).toBe(true);
    const labIds = mine.body.labResults.map((r: any) => r.id);
    expect(labIds).toContain(final.body.id);
    expect(labIds).not.toContain(preliminary.body.id);
    expect(mine.body.labResults.every((r: any) => r.review === undefined)).toBe(true);
    expect(mine.body.encounters).toEqual([]);
    expect(mine.body.problems.map((p: any) => p.id)).toContain(problem.body.id);
    expect(mine.body.medications.map((m: any) => m.id)).toContain(medication.body.id);
    expect(mine.body.latestVitals.id).toBe(vitals.body.id);

    const hiddenDraft = await api('GET', chartPath(patientId, `/notes/${draft.id}`), { user: 'patient' });
    expect(hiddenDraft.status).toBe(404);
    const hiddenLab = await api('GET', chartPath(patientId, `/lab-results/${preliminary.body.id}`), {
      user: 'patient',
    });
    expect(hiddenLab.status).toBe(404);
    const ownNotes = await api('GET', chartPath(patientId, '/notes?limit=100'), { user: 'patient' });
    expect(ownNotes.body.items.every((n: any) => n.status === 'signed')).toBe(true);
    const timeline = await api('GET', chartPath(patientId, '/timeline?limit=100'), { user: 'patient' });
    expect(timeline.status).toBe(200);
    const seenTypes = new Set(timeline.body.items.map((e: any) => e.type));
    expect(seenTypes.has('encounter')).toBe(false);
    expect(timeline.body.items.some((e: any) => e.record.id === draft.id)).toBe(false);
    expect(timeline.body.items.some((e: any) => e.record.id === signed.body.id)).toBe(true);

    // Another patient's chart does not exist for this patient; the attempt is audited as denied.
    const other = await newPatient();
    expect((await api('GET', chartPath(other, '/chart'), { user: 'patient' })).status).toBe(404);
    const audit = await api('GET', `/v1/audit?patientId=${other}`, { user: 'admin' });
    expect(audit.body.items.map((r: any) => `${r.action}:${r.outcome}`)).toContain('chart.read:denied');
  });
});

describe('signed notes are frozen; addenda append', () => {
  it('PATCH and sign again are 409; addenda append, each signed; a nurse cannot sign; stale If-Match is 412', async () => {
    const patientId = await newPatient();
    const encounter = await openEncounter(patientId);
    const note = await draftNote(patientId, encounter.id);

    // A nurse cannot sign, not even a draft.
    const byNurse = await api('POST', chartPath(patientId, `/notes/${note.id}/sign`), {
      user: 'nurse',
      headers: ifMatch(1),
    });
    expect(byNurse.status).toBe(403);

    // Stale and missing If-Match change nothing.
    const ok = await api('PATCH', chartPath(patientId, `/notes/${note.id}`), {
      user: 'clinician',
      body: { plan: 'Plan v2' },
      headers: ifMatch(1),
    });
    expect(ok.status).toBe(200);
    const stale = await api('PATCH', chartPath(patientId, `/notes/${note.id}`), {
      user: 'clinician',
      body: { plan: 'Plan from a stale screen' },
      headers: ifMatch(1),
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    const missing = await api('PATCH', chartPath(patientId, `/notes/${note.id}`), {
      user: 'clinician',
      body: { plan: 'x' },
    });
    expect(missing.status).toBe(428);
    const staleSign = await api('POST', chartPath(patientId, `/notes/${note.id}/sign`), {
      user: 'clinician',
      headers: ifMatch(1),
    });
    expect(staleSign.status).toBe(412);

    // An addendum to a draft makes no sense: edit the draft.
    const early = await api('POST', chartPath(patientId, `/notes/${note.id}/addenda`), {
      user: 'clinician',
      body: { text: 'too early' },
    });
    expect(early.status).toBe(409);

    const signed = await api('POST', chartPath(patientId, `/notes/${note.id}/sign`), {
      user: 'clinician',
      headers: ifMatch(2),
    });
    expect(signed.status).toBe(200);
    expect(signed.body.plan).toBe('Plan v2');

    const patch = await api('PATCH', chartPath(patientId, `/notes/${note.id}`), {
      user: 'clinician',
      body: { plan: 'Changed after signing' },
      headers: ifMatch(3),
    });
    expect(patch.status).toBe(409);
    expect(patch.headers.get('content-type')).toContain('application/problem+json');
    const again = await api('POST', chartPath(patientId, `/notes/${note.id}/sign`), {
      user: 'clinician',
      headers: ifMatch(3),
    });
    expect(again.status).toBe(409);

    const first = await api('POST', chartPath(patientId, `/notes/${note.id}/addenda`), {
      user: 'clinician',
      body: { text: 'Correction: metformin 1000 mg twice daily.' },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ noteId: note.id, author: { name: 'clinician' } });
    expect(Date.parse(first.body.signedAt)).not.toBeNaN();
    const second = await api('POST', chartPath(patientId, `/notes/${note.id}/addenda`), {
      user: 'clinician',
      body: { text: 'Patient called: tolerating well.' },
    });
    expect(second.status).toBe(201);
    const byNurseAddendum = await api('POST', chartPath(patientId, `/notes/${note.id}/addenda`), {
      user: 'nurse',
      body: { text: 'nurse addendum' },
    });
    expect(byNurseAddendum.status).toBe(403);

    const read = await api('GET', chartPath(patientId, `/notes/${note.id}`), { user: 'clinician' });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ status: 'signed', version: 3, plan: 'Plan v2' });
    expect(read.headers.get('etag')).toBe('"3"');
    expect(read.body.addenda.map((a: any) => a.text)).toEqual([
      'Correction: metformin 1000 mg twice daily.',
      'Patient called: tolerating well.',
    ]);

    // Billing codes from signed notes, read-only.
    const billingNote = await api('GET', chartPath(patientId, `/notes/${note.id}`), { user: 'billing' });
    expect(billingNote.status).toBe(200);
    expect(billingNote.body.addenda).toHaveLength(2);
    const billingWrite = await api('POST', chartPath(patientId, '/notes'), {
      user: 'billing',
      body: { encounterId: encounter.id },
    });
    expect(billingWrite.status).toBe(403);
  });

  it('only the author signs: another clinician’s draft is 403', async () => {
    const patientId = await newPatient();
    const encounter = await openEncounter(patientId);
    const nursesNote = await draftNote(patientId, encounter.id, 'nurse');
    const res = await api('POST', chartPath(patientId, `/notes/${nursesNote.id}/sign`), {
      user: 'clinician',
      headers: ifMatch(1),
    });
    expect(res.status).toBe(403);
    expect(
      (await api('GET', chartPath(patientId, `/notes/${nursesNote.id}`), { user: 'nurse' })).body.status,
    ).toBe('draft');
  });
});

describe('bad input is a 4xx problem naming the field, and nothing is written', () => {
  const cases: [string, string, (encounterId: string) => unknown, number, string[]][] = [
    ['heart rate 900', '/vitals', () => ({ heartRate: 900 }), 422, ['body.heartRate']],
    [
      'SpO2 130 %',
      '/vitals',
      () => ({ oxygenSaturation: 130, heartRate: 70 }),
      422,
      ['body.oxygenSaturation'],
    ],
    [
      'a diastolic above the systolic',
      '/vitals',
      () => ({ bloodPressure: { systolic: 80, diastolic: 120 } }),
      422,
      ['body.bloodPressure.diastolic'],
    ],
    [
      'a vitals unit outside UCUM',
      '/vitals',
      () => ({ weight: { value: 80, unit: 'kilos' } }),
      400,
      ['body.weight.unit'],
    ],
    [
      'a LOINC code with a wrong check digit',
      '/lab-results',
      () => ({
        code: '24323-8',
        display: 'CMP',
        status: 'final',
        orderingProviderId: DEMO_PROVIDER_ID,
        issued: new Date().toISOString(),
        results: [{ code: '2345-8', display: 'Glucose', value: 90, unit: 'mg/dL' }],
      }),
      422,
      ['body.results.0.code'],
    ],
    [
      'a lab result ordered by a provider who does not exist',
      '/lab-results',
      () => ({
        code: '24323-8',
        display: 'CMP',
        status: 'final',
        orderingProviderId: newId(),
        issued: new Date().toISOString(),
        results: [{ code: '2345-7', display: 'Glucose', value: 90, unit: 'mg/dL' }],
      }),
      422,
      ['body.orderingProviderId'],
    ],
    [
      'an encounter with a provider who does not exist',
      '/encounters',
      () => ({ class: 'ambulatory', provider: { id: newId(), name: 'Dr. Nobody' }, reason: 'x' }),
      422,
      ['body.provider.id'],
    ],
    [
      'an encounter at a location that does not exist',
      '/encounters',
      () => ({
        class: 'ambulatory',
        provider: { id: DEMO_PROVIDER_ID, name: 'Dr. Anika Rao' },
        location: { id: newId(), name: 'Nowhere' },
        reason: 'x',
      }),
      422,
      ['body.location.id'],
    ],
    [
      'an encounter for an appointment that does not exist',
      '/encounters',
      () => ({
        class: 'ambulatory',
        provider: { id: DEMO_PROVIDER_ID, name: 'Dr. Anika Rao' },
        location: { id: DEMO_LOCATION_ID, name: 'Main Street Clinic' },
        appointmentId: newId(),
        reason: 'x',
      }),
      422,
      ['body.appointmentId'],
    ],
    [
      'a medication prescribed by a provider who does not exist',
      '/medications',
      () => ({ code: '860975', display: 'Metformin', prescriber: { id: newId(), name: 'Dr. Nobody' } }),
      422,
      ['body.prescriber.id'],
    ],
    [
      'an ICD-10-CM code in a wrong format',
      '/problems',
      () => ({ code: 'E11.', display: 'Diabetes' }),
      422,
      ['body.code'],
    ],
    [
      'an RxNorm code that is not a number',
      '/medications',
      () => ({ code: 'RX-42', display: 'Metformin' }),
      422,
      ['body.code'],
    ],
    [
      'a SNOMED CT code with a wrong check digit',
      '/allergies',
      () => ({ substance: { system: 'snomed', code: '764146008', display: 'Penicillin' } }),
      422,
      ['body.substance.code'],
    ],
    [
      'a CPT code in a wrong format',
      '/encounters',
      () => ({
        class: 'virtual',
        provider: { id: DEMO_PROVIDER_ID, name: 'Dr. X' },
        reason: 'x',
        serviceCode: '9921',
      }),
      422,
      ['body.serviceCode'],
    ],
    [
      'an unknown field',
      '/problems',
      () => ({ code: 'I10', display: 'Hypertension', severity: 'high' }),
      400,
      ['body.severity'],
    ],
    [
      'a server-owned field',
      '/medications',
      () => ({ code: '860975', display: 'Metformin', id: '01KAXZZZZZZZZZZZZZZZZZZZZZ' }),
      400,
      ['body.id'],
    ],
    [
      'a note on an encounter that does not exist',
      '/notes',
      () => ({ encounterId: newId() }),
      422,
      ['body.encounterId'],
    ],
    [
      'a note status set by hand',
      '/notes',
      (encounterId) => ({ encounterId, status: 'signed' }),
      400,
      ['body.status'],
    ],
  ];

  it.each(cases)(
    '%s → 4xx naming the field; nothing written',
    async (_what, collection, body, status, fields) => {
      const patientId = await newPatient();
      const encounter = await openEncounter(patientId);
      const user = collection === '/encounters' ? 'front-desk' : 'clinician';
      const res = await api('POST', chartPath(patientId, collection), { user, body: body(encounter.id) });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(fieldsOf(res.body)).toEqual(fields);
      // Values are never echoed back (they may be PHI): only field names.
      expect(JSON.stringify([res.body.detail, res.body.errors])).not.toMatch(/900|130|764146008|RX-42|kilos/);
      const list = await api('GET', chartPath(patientId, `${collection}?limit=100`), { user: 'clinician' });
      expect(list.status).toBe(200);
      const expected = collection === '/encounters' ? [encounter.id] : [];
      expect(list.body.items.map((r: any) => r.id)).toEqual(expected);
    },
  );

  it('an impossible correction to stored vitals is 422 and leaves them as they were', async () => {
    const patientId = await newPatient();
    const created = await api('POST', chartPath(patientId, '/vitals'), {
      user: 'nurse',
      body: { heartRate: 70 },
    });
    const patch = await api('PATCH', chartPath(patientId, `/vitals/${created.body.id}`), {
      user: 'nurse',
      body: { heartRate: 700 },
      headers: ifMatch(1),
    });
    expect(patch.status).toBe(422);
    expect(fieldsOf(patch.body)).toEqual(['body.heartRate']);
    const read = await api('GET', chartPath(patientId, `/vitals/${created.body.id}`), { user: 'nurse' });
    expect(read.body).toMatchObject({ heartRate: 70, version: 1 });
  });
});

describe('roles, allergies, timeline and retries', () => {
  it('each role reaches only its part of the chart', async () => {
    const patientId = await newPatient();
    const encounter = await openEncounter(patientId);
    await draftNote(patientId, encounter.id);
    const expectations: [string, string, string, number][] = [
      ['front-desk', 'GET', '/encounters', 200],
      ['front-desk', 'GET', '/chart', 403],
      ['front-desk', 'GET', '/problems', 403],
      ['billing', 'GET', '/encounters', 200],
      ['billing', 'GET', '/problems', 403],
      ['billing', 'GET', '/chart', 403],
      ['billing', 'PATCH', `/encounters/${encounter.id}`, 403],
      ['nurse', 'GET', '/chart', 200],
      ['admin', 'GET', '/chart', 403],
      ['external-provider', 'GET', '/chart', 403],
      ['external-provider', 'GET', '/notes', 403],
    ];
    for (const [user, method, path, status] of expectations) {
      const res = await api(method, chartPath(patientId, path), {
        user,
        ...(method === 'PATCH' ? { body: { reason: 'x' }, headers: ifMatch(1) } : {}),
      });
      expect(res.status, `${user} ${method} ${path}`).toBe(status);
    }
    const billingNotes = await api('GET', chartPath(patientId, '/notes'), { user: 'billing' });
    expect(billingNotes.body.items).toEqual([]);
    const deskTimeline = await api('GET', chartPath(patientId, '/timeline'), { user: 'front-desk' });
    expect(deskTimeline.body.items.map((e: any) => e.type)).toEqual(['encounter']);
  });

  it('allergies: never asked, then no known allergies, then an allergy that retires it', async () => {
    const patientId = await newPatient();
    const status = async () =>
      (await api('GET', chartPath(patientId, '/chart'), { user: 'nurse' })).body.allergies.status;
    expect(await status()).toBe('unknown');
    const nka = await api('POST', chartPath(patientId, '/allergies'), {
      user: 'nurse',
      body: { noKnownAllergies: true },
    });
    expect(nka.status).toBe(201);
    expect(await status()).toBe('no-known-allergies');
    const penicillin = await api('POST', chartPath(patientId, '/allergies'), {
      user: 'nurse',
      body: {
        substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
        reactions: [{ manifestation: 'Hives', severity: 'moderate' }],
        criticality: 'high',
      },
    });
    expect(penicillin.status).toBe(201);
    expect(await status()).toBe('has-allergies');
    const retired = await api('GET', chartPath(patientId, `/allergies/${nka.body.id}`), { user: 'nurse' });
    expect(retired.body).toMatchObject({ clinicalStatus: 'inactive', version: 2 });
    const conflict = await api('POST', chartPath(patientId, '/allergies'), {
      user: 'nurse',
      body: { noKnownAllergies: true },
    });
    expect(conflict.status).toBe(409);
    expect(fieldsOf(conflict.body)).toEqual(['body.noKnownAllergies']);
  });

  it('the timeline: clinical-date order, date range, type filter and cursor pages', async () => {
    const patientId = await newPatient();
    for (const [code, onset] of [
      ['I10', '2019-05-01'],
      ['E78.5', '2022-01-10'],
      ['E11.9', '2021-03-01'],
    ]) {
      const res = await api('POST', chartPath(patientId, '/problems'), {
        user: 'clinician',
        body: { code, display: code, onset },
      });
      expect(res.status).toBe(201);
    }
    await api('POST', chartPath(patientId, '/vitals'), {
      user: 'nurse',
      body: { heartRate: 70, effective: '2020-07-07T10:00:00Z' },
    });
    const all = await api('GET', chartPath(patientId, '/timeline'), { user: 'clinician' });
    expect(all.body.items.map((e: any) => e.date)).toEqual([
      '2022-01-10',
      '2021-03-01',
      '2020-07-07T10:00:00.000Z',
      '2019-05-01',
    ]);
    const problems2020s = await api(
      'GET',
      chartPath(patientId, '/timeline?types=problem&from=2020-01-01&to=2021-12-31'),
      {
        user: 'clinician',
      },
    );
    expect(problems2020s.body.items.map((e: any) => e.record.code)).toEqual(['E11.9']);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api(
        'GET',
        chartPath(patientId, `/timeline?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        { user: 'clinician' },
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((e: any) => e.date));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(all.body.items.map((e: any) => e.date));
    expect(pages).toBeGreaterThanOrEqual(2);
    const bad = await api('GET', chartPath(patientId, '/timeline?types=encounter,gossip'), {
      user: 'clinician',
    });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['query.types']);
  });

  it('a retried POST with the same Idempotency-Key records the vitals once', async () => {
    const patientId = await newPatient();
    const headers = { 'Idempotency-Key': `vitals-${crypto.randomUUID()}` };
    const body = { heartRate: 64, respiratoryRate: 12 };
    const first = await api('POST', chartPath(patientId, '/vitals'), { user: 'nurse', body, headers });
    const again = await api('POST', chartPath(patientId, '/vitals'), { user: 'nurse', body, headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const list = await api('GET', chartPath(patientId, '/vitals'), { user: 'nurse' });
    expect(list.body.items).toHaveLength(1);
  });
});
