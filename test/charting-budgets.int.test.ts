// Charting's DynamoDB requests per operation, counted at the SDK while invoking the real handlers against DynamoDB
// Local (docs/charting.md, "Access patterns"): the chart = 1 Query + the audit PutItem, also for a patient with five
// years of visits; every clinical write = 1 TransactWriteItems (after at most one read); the inbox = 1 Query.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { routes as chartingRoutes } from '../functions/charting/routes.ts';
import { createPatient } from '../functions/patients/routes.ts';
import { createLocation, createProvider } from '../functions/scheduling/routes.ts';
import { buildEvent } from '../infra/local/events.ts';
import { DEMO_PATIENT_ID } from '../infra/local/seed.ts';
import type { Role } from '../shared/auth/roles.ts';
import { countRequests } from '../shared/dynamodb.ts';
import type { AnyRoute } from '../shared/http/route.ts';
import { newId } from '../shared/ids.ts';
import { seedChartHistory } from './support/chart-history.ts';
import { useLocalTable } from './support/local-env.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'budget', getRemainingTimeInMillis: () => 10_000 } as Context;
const handlers = new Map<string, { route: AnyRoute; handler: Handler }>();

interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  user?: Role;
}

async function invoke(operationId: string, input: Call = {}) {
  const entry = handlers.get(operationId);
  if (!entry) throw new Error(operationId);
  const { result, counts } = await countRequests(() =>
    entry.handler(buildEvent(entry.route, { user: 'clinician', ...input }), context),
  );
  return { status: result.statusCode, body: JSON.parse(result.body || 'null'), counts };
}

const TRANSACTION = { TransactWriteItems: 1 };
const READ_THEN_TRANSACTION = { GetItem: 1, TransactWriteItems: 1 };
const AUDITED_GET = { GetItem: 1, PutItem: 1 };
const AUDITED_QUERY = { Query: 1, PutItem: 1 };
const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });

let patientId: string;
let seeded: string;
let locationId: string;

/** A provider of the practice (records may only name existing ones), new for each test's own inbox. */
async function newProvider(): Promise<string> {
  const npi = withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999)));
  const res = await invoke('createProvider', {
    user: 'admin',
    body: { name: { given: ['B'], family: 'Udget' }, npi, specialty: 'x', locationIds: [locationId] },
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.id;
}

beforeAll(async () => {
  useLocalTable();
  for (const route of [...chartingRoutes, createPatient, createLocation, createProvider]) {
    const url = pathToFileURL(join(import.meta.dirname, '..', route.handler)).href;
    const { handler } = (await import(/* @vite-ignore */ url)) as { handler: Handler };
    handlers.set(route.operationId, { route, handler });
  }
  const patient = (given: string) => ({
    user: 'front-desk' as Role,
    body: { name: { given: [given], family: 'Budget' }, birthDate: '1958-02-02', gender: 'female' },
  });
  patientId = (await invoke('createPatient', patient('Fresh'))).body.id;
  locationId = (
    await invoke('createLocation', {
      user: 'admin',
      body: { name: 'Budget clinic', address: { line: ['1 St'], city: 'X' }, timeZone: 'America/New_York' },
    })
  ).body.id;
  seeded = (await invoke('createPatient', patient('Fiveyears'))).body.id;
  // Five years of monthly visits: encounter, signed note, vital signs; a lab panel every other visit.
  await seedChartHistory(seeded, { years: 5, visitsPerYear: 12, sectionChars: 1_500 });
});

describe('charting DynamoDB requests per operation', () => {
  it('the chart = 1 Query + 1 audit PutItem, for five years of visits and for a patient user', async () => {
    const chart = await invoke('getChart', { params: { patientId: seeded } });
    expect(chart.status).toBe(200);
    expect(chart.counts).toEqual(AUDITED_QUERY);
    expect(chart.body.historyComplete).toBe(true);
    expect(chart.body.encounters).toHaveLength(10);
    expect(chart.body.problems).toHaveLength(3);

    const own = await invoke('getChart', { params: { patientId: DEMO_PATIENT_ID }, user: 'patient' });
    expect(own.status).toBe(200);
    expect(own.counts).toEqual(AUDITED_QUERY);
  });

  it('every clinical write = 1 TransactWriteItems (with its audit record), after at most one read', async () => {
    const providerId = await newProvider();
    const p = { patientId };
    const writes: [string, Call, Record<string, number>][] = [];
    const run = async (operationId: string, call: Call, expected: Record<string, number>, status: number) => {
      const res = await invoke(operationId, { ...call, params: { ...p, ...call.params } });
      expect(res.status, `${operationId}: ${JSON.stringify(res.body)}`).toBe(status);
      writes.push([operationId, call, res.counts]);
      expect(res.counts, operationId).toEqual(expected);
      return res.body;
    };

    // The provider and location it names are ConditionChecks inside the same transaction.
    const encounter = await run(
      'createEncounter',
      {
        user: 'front-desk',
        body: {
          class: 'ambulatory',
          provider: { id: providerId, name: 'Dr. B' },
          location: { id: locationId, name: 'Budget clinic' },
          reason: 'Visit',
        },
        headers: { 'Idempotency-Key': crypto.randomUUID() },
      },
      TRANSACTION,
      201,
    );
    const encounterId = encounter.id;
    await run(
      'updateEncounter',
      { params: { encounterId }, body: { serviceCode: '99213' }, headers: ifMatch(1) },
      READ_THEN_TRANSACTION,
      200,
    );
    const note = await run('createNote', { body: { encounterId } }, TRANSACTION, 201);
    const noteId = note.id;
    await run(
      'updateNote',
      { params: { noteId }, body: { plan: 'Plan' }, headers: ifMatch(1) },
      READ_THEN_TRANSACTION,
      200,
    );
    // Signing also reads the encounter's charges (one GetItem) for billing's documentation prompts.
    await run(
      'signNote',
      { params: { noteId }, headers: ifMatch(2) },
      { GetItem: 2, TransactWriteItems: 1 },
      200,
    );
    await run('addAddendum', { params: { noteId }, body: { text: 'Addendum' } }, READ_THEN_TRANSACTION, 201);
    await run(
      'finishEncounter',
      { params: { encounterId }, headers: ifMatch(2) },
      READ_THEN_TRANSACTION,
      200,
    );
    const problem = await run(
      'createProblem',
      { body: { code: 'I10', display: 'Hypertension' } },
      TRANSACTION,
      201,
    );
    await run(
      'updateProblem',
      { params: { problemId: problem.id }, body: { note: 'Home readings' }, headers: ifMatch(1) },
      READ_THEN_TRANSACTION,
      200,
    );
    const medication = await run(
      'createMedication',
      { body: { code: '314076', display: 'lisinopril 10 MG' } },
      TRANSACTION,
      201,
    );
    await run(
      'updateMedication',
      { params: { medicationId: medication.id }, body: { frequency: 'QD' }, headers: ifMatch(1) },
      READ_THEN_TRANSACTION,
      200,
    );
    // Allergy changes read the patient's allergy list (one Query) to keep "no known allergies" consistent.
    const nka = await run(
      'createAllergy',
      { body: { noKnownAllergies: true } },
      { Query: 1, TransactWriteItems: 1 },
      201,
    );
    await run(
      'updateAllergy',
      { params: { allergyId: nka.id }, body: { note: 'Asked again' }, headers: ifMatch(1) },
      { Query: 1, TransactWriteItems: 1 },
      200,
    );
    const vitals = await run(
      'createVitals',
      { user: 'nurse', body: { heartRate: 70, encounterId } },
      TRANSACTION,
      201,
    );
    await run(
      'updateVitals',
      { params: { vitalsId: vitals.id }, body: { heartRate: 72 }, headers: ifMatch(1) },
      READ_THEN_TRANSACTION,
      200,
    );
    const lab = await run(
      'createLabResult',
      {
        body: {
          code: '24323-8',
          display: 'CMP',
          status: 'preliminary',
          orderingProviderId: providerId,
          issued: new Date().toISOString(),
          results: [
            { code: '2345-7', display: 'Glucose', value: 250, unit: 'mg/dL', referenceRange: { high: 99 } },
          ],
        },
      },
      TRANSACTION,
      201,
    );
    await run(
      'updateLabResult',
      { params: { labResultId: lab.id }, body: { status: 'final' }, headers: ifMatch(1) },
      READ_THEN_TRANSACTION,
      200,
    );
    await run(
      'reviewLabResult',
      { params: { labResultId: lab.id }, body: { comment: 'Repeat in a week' }, headers: ifMatch(2) },
      READ_THEN_TRANSACTION,
      200,
    );
    await run(
      'createNoteTemplate',
      { body: { name: 'Budget template', specialty: 'Family medicine' } },
      TRANSACTION,
      201,
    );
    expect(writes).toHaveLength(19);
  });

  it('a record naming a provider, location or appointment that does not exist: 422 naming the field, 1 TransactWriteItems (+ the failure audit), nothing written', async () => {
    const providerId = await newProvider();
    const cases: [string, Call, string][] = [
      [
        'createEncounter',
        { body: { class: 'ambulatory', provider: { id: newId(), name: 'Dr. Nobody' }, reason: 'Visit' } },
        'body.provider.id',
      ],
      [
        'createEncounter',
        {
          body: {
            class: 'ambulatory',
            provider: { id: providerId, name: 'Dr. B' },
            location: { id: newId(), name: 'Nowhere' },
            reason: 'Visit',
          },
        },
        'body.location.id',
      ],
      [
        'createEncounter',
        {
          body: {
            class: 'ambulatory',
            provider: { id: providerId, name: 'Dr. B' },
            appointmentId: newId(),
            reason: 'Visit',
          },
        },
        'body.appointmentId',
      ],
      [
        'createLabResult',
        {
          body: {
            code: '24323-8',
            display: 'CMP',
            status: 'final',
            orderingProviderId: newId(),
            issued: new Date().toISOString(),
            results: [{ code: '2345-7', display: 'Glucose', value: 90, unit: 'mg/dL' }],
          },
        },
        'body.orderingProviderId',
      ],
      [
        'createMedication',
        { body: { code: '314076', display: 'lisinopril 10 MG', prescriber: { id: newId(), name: 'Dr. X' } } },
        'body.prescriber.id',
      ],
    ];
    const before = await invoke('getTimeline', { params: { patientId }, query: { limit: '100' } });
    for (const [operationId, call, field] of cases) {
      const res = await invoke(operationId, { ...call, params: { patientId } });
      expect(res.status, operationId).toBe(422);
      expect(res.body.errors, operationId).toEqual([{ field, message: expect.any(String) }]);
      // The failed transaction, then the failure's audit record (the HTTP stack files it under the patient).
      expect(res.counts, operationId).toEqual({ ...TRANSACTION, PutItem: 1 });
    }
    const after = await invoke('getTimeline', { params: { patientId }, query: { limit: '100' } });
    expect(after.body.items).toEqual(before.body.items);
  });

  it('reads: a record = 1 GetItem, a note with its addenda, a list, the timeline and the inbox = 1 Query; each + audit', async () => {
    const providerId = await newProvider();
    const encounter = await invoke('createEncounter', {
      params: { patientId },
      body: { class: 'virtual', provider: { id: providerId, name: 'Dr. B' }, reason: 'Call' },
    });
    const note = await invoke('createNote', {
      params: { patientId },
      body: { encounterId: encounter.body.id },
    });
    for (const n of [1, 2]) {
      await invoke('createLabResult', {
        params: { patientId },
        body: {
          code: '24323-8',
          display: 'CMP',
          status: 'final',
          orderingProviderId: providerId,
          issued: new Date(Date.now() - n * 60_000).toISOString(),
          results: [
            {
              code: '2345-7',
              display: 'Glucose',
              value: 80 * n,
              unit: 'mg/dL',
              referenceRange: { high: 99 },
            },
          ],
        },
      });
    }
    const reads: [string, Call, Record<string, number>][] = [
      ['getEncounter', { params: { patientId, encounterId: encounter.body.id } }, AUDITED_GET],
      ['getNote', { params: { patientId, noteId: note.body.id } }, AUDITED_QUERY],
      ['listNotes', { params: { patientId } }, AUDITED_QUERY],
      ['listEncounters', { params: { patientId }, user: 'billing' }, AUDITED_QUERY],
      ['listProblems', { params: { patientId } }, AUDITED_QUERY],
      [
        'getTimeline',
        { params: { patientId: seeded }, query: { types: 'encounter,lab-result', limit: '50' } },
        AUDITED_QUERY,
      ],
      ['listResultsInbox', { query: { providerId } }, AUDITED_QUERY],
      ['listNoteTemplates', {}, { Query: 1 }],
    ];
    for (const [operationId, call, expected] of reads) {
      const res = await invoke(operationId, call);
      expect(res.status, operationId).toBe(200);
      expect(res.counts, operationId).toEqual(expected);
    }
    const inbox = await invoke('listResultsInbox', { query: { providerId } });
    expect(inbox.body.items.map((r: { abnormal: boolean }) => r.abnormal)).toEqual([true, false]);
  });

  it('a list proves the patient exists within its one Query; only an empty first page of a kind away from the profile costs a GetItem', async () => {
    const empty = (
      await invoke('createPatient', {
        user: 'front-desk',
        body: { name: { given: ['Empty'], family: 'Budget' }, birthDate: '1990-03-03', gender: 'male' },
      })
    ).body.id;
    const missing = newId();
    const cases: [string, string, number, Record<string, number>][] = [
      // Problems and medications sit next to the profile item: their range reads it.
      ['listProblems', empty, 200, AUDITED_QUERY],
      ['listMedications', empty, 200, AUDITED_QUERY],
      // A 404 is audited as a failure under the patient named (1 PutItem).
      ['listProblems', missing, 404, AUDITED_QUERY],
      ['listMedications', missing, 404, AUDITED_QUERY],
      // Elsewhere an empty first page says nothing about the patient: one GetItem of the profile.
      ['listEncounters', empty, 200, { Query: 1, GetItem: 1, PutItem: 1 }],
      ['listAllergies', missing, 404, { Query: 1, GetItem: 1, PutItem: 1 }],
      ['getTimeline', missing, 404, { Query: 1, GetItem: 1, PutItem: 1 }],
      // A page that read anything of the patient's needs no more.
      ['listEncounters', seeded, 200, AUDITED_QUERY],
      ['getTimeline', seeded, 200, AUDITED_QUERY],
    ];
    for (const [operationId, id, status, expected] of cases) {
      const res = await invoke(operationId, { params: { patientId: id } });
      expect(res.status, `${operationId} ${id === missing ? 'missing' : id}`).toBe(status);
      expect(res.counts, `${operationId} ${id === missing ? 'missing' : id}`).toEqual(expected);
    }
  });

  it('a denied request costs one audit write and reads nothing', async () => {
    const denied = await invoke('createNote', {
      params: { patientId },
      body: { encounterId: newId() },
      user: 'billing',
    });
    expect(denied.status).toBe(403);
    expect(denied.counts).toEqual({ PutItem: 1 });
  });
});
