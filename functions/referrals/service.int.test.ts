// Referrals against DynamoDB Local through the real handlers: the send's budget (the chart's one Query and one
// TransactWriteItems), a packet that holds exactly what was chosen and validates against US Core 6.1.0, a C-CDA
// that parses back with the same problems, medications and allergies, the lifecycle's guards, and the worklist's
// overdue-first order in one Query.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { convertCcdaToFhir, convertXmlToCcda } from '@medplum/ccda';
import { validateResource } from '@medplum/core';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { routes as chartingRoutes } from '#functions/charting/routes.ts';
import { createPatient } from '#functions/patients/routes.ts';
import type { Role } from '#shared/auth/roles.ts';
import { resetClock, setClock } from '#shared/clock.ts';
import { countRequests } from '#shared/dynamodb.ts';
import type { AnyRoute } from '#shared/http/route.ts';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { buildEvent } from '../../infra/local/events.ts';
import { DEMO_CARDIOLOGIST_ID, DEMO_PROVIDER_ID } from '../../infra/local/seed.ts';
import { useLocalTable } from '../../test/support/local-env.ts';
import { usCoreProfiles } from '../../test/support/referral-fixtures.ts';
import { routes as referralRoutes } from './routes.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'referrals', getRemainingTimeInMillis: () => 10_000 } as Context;
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
  let body: any;
  try {
    body = JSON.parse(result.body || 'null');
  } catch {
    body = result.body;
  }
  return { status: result.statusCode, body, raw: result.body, headers: result.headers ?? {}, counts };
}

async function ok(operationId: string, input: Call, status = 201) {
  const res = await invoke(operationId, input);
  if (res.status !== status) throw new Error(`${operationId}: ${res.status} ${res.raw}`);
  return res.body;
}

interface Chart {
  patientId: string;
  encounterId: string;
  ids: Record<string, string>;
}

/** A chart with something of every state the default packet must take or leave. */
async function buildChart(): Promise<Chart> {
  const patient = await ok('createPatient', {
    user: 'front-desk',
    body: { name: { given: ['Rhea'], family: 'Ferral' }, birthDate: '1961-03-04', gender: 'female' },
  });
  const p = { patientId: patient.id };
  const encounter = await ok('createEncounter', {
    user: 'front-desk',
    params: p,
    body: {
      class: 'ambulatory',
      provider: { id: DEMO_PROVIDER_ID, name: 'Dr. Anika Rao' },
      reason: 'Palpitations',
    },
  });
  const other = await ok('createEncounter', {
    user: 'front-desk',
    params: p,
    body: {
      class: 'ambulatory',
      provider: { id: DEMO_PROVIDER_ID, name: 'Dr. Anika Rao' },
      reason: 'Earlier visit',
    },
  });
  const problem = (code: string, display: string) =>
    ok('createProblem', { params: p, body: { code, display } });
  const afib = await problem('I48.91', 'Atrial fibrillation');
  const diabetes = await problem('E11.9', 'Type 2 diabetes mellitus without complications');
  const bronchitis = await problem('J20.9', 'Acute bronchitis');
  await ok(
    'updateProblem',
    {
      params: { ...p, problemId: bronchitis.id },
      body: { clinicalStatus: 'resolved', abatement: '2026-01-20' },
      headers: { 'If-Match': '"1"' },
    },
    200,
  );
  const medication = (code: string, display: string) =>
    ok('createMedication', {
      params: p,
      body: {
        code,
        display,
        dose: { value: 25, unit: 'mg' },
        route: 'oral',
        frequency: 'BID',
        prescriber: { id: DEMO_PROVIDER_ID, name: 'Dr. Anika Rao' },
      },
    });
  const metoprolol = await medication('866924', 'metoprolol tartrate 25 MG Oral Tablet');
  const stopped = await medication('308182', 'amoxicillin 250 MG Oral Capsule');
  await ok(
    'updateMedication',
    {
      params: { ...p, medicationId: stopped.id },
      body: { status: 'stopped' },
      headers: { 'If-Match': '"1"' },
    },
    200,
  );
  const allergy = await ok('createAllergy', {
    user: 'nurse',
    params: p,
    body: {
      substance: { system: 'rxnorm', code: '7980', display: 'Penicillin G' },
      reactions: [{ manifestation: 'Hives' }],
    },
  });
  const vitals = async (heartRate: number) =>
    ok('createVitals', {
      user: 'nurse',
      params: p,
      body: { encounterId: encounter.id, heartRate, bloodPressure: { systolic: 142, diastolic: 88 } },
    });
  const oldVitals = await vitals(80);
  const lastVitals = await vitals(112);
  const lab = (status: 'final' | 'preliminary', issued: string) =>
    ok('createLabResult', {
      user: 'nurse',
      params: p,
      body: {
        code: '24323-8',
        display: 'Comprehensive metabolic panel',
        status,
        orderingProviderId: DEMO_PROVIDER_ID,
        issued,
        results: [
          {
            code: '2345-7',
            display: 'Glucose',
            value: 162,
            unit: 'mg/dL',
            referenceRange: { low: 70, high: 99 },
          },
        ],
      },
    });
  const recentLab = await lab('final', new Date(Date.now() - 10 * 86_400_000).toISOString());
  const oldLab = await lab('final', new Date(Date.now() - 200 * 86_400_000).toISOString());
  const preliminaryLab = await lab('preliminary', new Date(Date.now() - 86_400_000).toISOString());
  const note = async (encounterId: string, sign: boolean) => {
    const n = await ok('createNote', {
      params: p,
      body: { encounterId, assessment: 'New atrial fibrillation.', plan: 'Metoprolol; cardiology referral.' },
    });
    if (sign)
      await ok(
        'signNote',
        { params: { ...p, noteId: n.id }, headers: { 'If-Match': `"${n.version}"` } },
        200,
      );
    return n;
  };
  const signedNote = await note(encounter.id, true);
  const draftNote = await note(encounter.id, false);
  const otherNote = await note(other.id, true);
  return {
    patientId: patient.id,
    encounterId: encounter.id,
    ids: {
      afib: afib.id,
      diabetes: diabetes.id,
      bronchitis: bronchitis.id,
      metoprolol: metoprolol.id,
      stopped: stopped.id,
      allergy: allergy.id,
      oldVitals: oldVitals.id,
      lastVitals: lastVitals.id,
      recentLab: recentLab.id,
      oldLab: oldLab.id,
      preliminaryLab: preliminaryLab.id,
      signedNote: signedNote.id,
      draftNote: draftNote.id,
      otherNote: otherNote.id,
    },
  };
}

const referralBody = (chart: Chart, extra: Record<string, unknown> = {}) => ({
  encounterId: chart.encounterId,
  recipientId: DEMO_CARDIOLOGIST_ID,
  reason: { code: 'I48.91', text: 'New atrial fibrillation' },
  urgency: 'urgent',
  clinicalQuestion: 'Rate or rhythm control? Is anticoagulation indicated?',
  coverage: { payer: 'Aetna', memberId: 'W123456789' },
  priorAuthorization: 'PA-2026-0042',
  ...extra,
});

const fhirIds = (bundle: Bundle, type: string) =>
  (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Resource => r?.resourceType === type)
    .map((r) => r.id);
const lower = (...ids: string[]) => ids.map((i) => i.toLowerCase());

let chart: Chart;

beforeAll(async () => {
  useLocalTable();
  const wanted = [...referralRoutes, ...chartingRoutes, createPatient];
  for (const route of wanted) {
    const url = pathToFileURL(join(import.meta.dirname, '../..', route.handler)).href;
    const { handler } = (await import(/* @vite-ignore */ url)) as { handler: Handler };
    handlers.set(route.operationId, { route, handler });
  }
  chart = await buildChart();
}, 120_000);

afterEach(() => resetClock());

describe('sending a referral', () => {
  it('costs one Query (the chart) and one TransactWriteItems after reading the recipient', async () => {
    const res = await invoke('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart),
    });
    expect(res.status, res.raw).toBe(201);
    expect(res.counts).toEqual({ GetItem: 1, Query: 1, TransactWriteItems: 1 });
    expect(res.body).toMatchObject({
      status: 'sent',
      urgency: 'urgent',
      recipient: { organizationName: 'Hudson Heart Associates' },
    });
    // Urgent: due in 7 days when no date is given.
    expect(res.body.dueDate).toBe(
      new Date(Date.parse(`${res.body.sentAt.slice(0, 10)}T00:00:00Z`) + 7 * 86_400_000)
        .toISOString()
        .slice(0, 10),
    );
  });

  it('freezes a packet of exactly the default records, whose bytes match the kept hash and validate against US Core 6.1.0', async () => {
    const referral = await ok('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart),
    });
    const res = await invoke('getReferralPacket', {
      params: { referralId: referral.id },
      query: { format: 'fhir' },
    });
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('application/fhir+json');
    expect(createHash('sha256').update(res.raw, 'utf8').digest('hex')).toBe(referral.packet.bundleSha256);
    const bundle = res.body as Bundle;
    expect(bundle.type).toBe('document');
    expect(bundle.entry?.[0]?.resource?.resourceType).toBe('Composition');
    const { ids } = chart;
    expect(fhirIds(bundle, 'Condition').sort()).toEqual(
      lower(ids.afib as string, ids.diabetes as string).sort(),
    );
    expect(fhirIds(bundle, 'MedicationRequest')).toEqual(lower(ids.metoprolol as string));
    expect(fhirIds(bundle, 'AllergyIntolerance')).toEqual(lower(ids.allergy as string));
    expect(fhirIds(bundle, 'DiagnosticReport')).toEqual(lower(ids.recentLab as string));
    expect(fhirIds(bundle, 'DocumentReference')).toEqual(lower(ids.signedNote as string));
    const vitalIds = fhirIds(bundle, 'Observation').filter((id) =>
      id?.startsWith((ids.lastVitals as string).toLowerCase()),
    );
    expect(vitalIds.length).toBeGreaterThan(0);
    expect(JSON.stringify(bundle)).not.toContain((ids.oldVitals as string).toLowerCase());
    expect(referral.packet.selection).toEqual({
      problems: expect.arrayContaining([ids.afib, ids.diabetes]),
      medications: [ids.metoprolol],
      allergies: [ids.allergy],
      vitals: [ids.lastVitals],
      labs: [ids.recentLab],
      notes: [ids.signedNote],
    });

    const profiles = usCoreProfiles();
    let validated = 0;
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource as Resource;
      expect(() => validateResource(resource), `${resource.resourceType}/${resource.id}`).not.toThrow();
      for (const url of resource.meta?.profile ?? []) {
        const profile = profiles.get(url);
        if (!profile) continue;
        expect(
          () => validateResource(resource, { profile }),
          `${resource.resourceType}/${resource.id} ${url}`,
        ).not.toThrow();
        validated++;
      }
    }
    expect(validated).toBeGreaterThanOrEqual(8);
  });

  it('sends exactly the records chosen, and refuses a draft note or a preliminary result naming the list', async () => {
    const { ids } = chart;
    const chosen = await ok('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart, {
        packet: { problems: [ids.bronchitis], medications: [], notes: [], labs: [ids.oldLab] },
      }),
    });
    const bundle = (await invoke('getReferralPacket', { params: { referralId: chosen.id } })).body as Bundle;
    expect(fhirIds(bundle, 'Condition')).toEqual(lower(ids.bronchitis as string));
    expect(fhirIds(bundle, 'MedicationRequest')).toEqual([]);
    expect(fhirIds(bundle, 'DocumentReference')).toEqual([]);
    expect(fhirIds(bundle, 'DiagnosticReport')).toEqual(lower(ids.oldLab as string));
    // Left out: its default (allergies).
    expect(fhirIds(bundle, 'AllergyIntolerance')).toEqual(lower(ids.allergy as string));

    const refused = await invoke('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart, { packet: { notes: [ids.draftNote], labs: [ids.preliminaryLab] } }),
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'body.packet.labs',
      'body.packet.notes',
    ]);
  });

  it('writes a C-CDA Referral Note that parses back with the same problems, medications and allergies', async () => {
    const referral = await ok('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart),
    });
    const res = await invoke('getReferralPacket', {
      params: { referralId: referral.id },
      query: { format: 'ccda' },
    });
    expect(res.headers['Content-Type']).toBe('application/xml');
    expect(createHash('sha256').update(res.raw, 'utf8').digest('hex')).toBe(referral.packet.ccdaSha256);
    expect(res.raw).toContain('57133-1');
    const back = convertCcdaToFhir(convertXmlToCcda(res.raw));
    const codes = (type: string, field: string) =>
      (back.entry ?? [])
        .map((e) => e.resource as unknown as Record<string, { coding?: { code?: string }[] }>)
        .filter((r) => (r as unknown as Resource).resourceType === type)
        .map((r) => r[field]?.coding?.[0]?.code)
        .sort();
    expect(codes('Condition', 'code')).toEqual(['E11.9', 'I48.91']);
    expect(codes('MedicationRequest', 'medicationCodeableConcept')).toEqual(['866924']);
    expect(codes('AllergyIntolerance', 'code')).toEqual(['7980']);
  });

  it('is safe to retry with the same Idempotency-Key, and refuses an unknown recipient or encounter by field', async () => {
    const headers = { 'Idempotency-Key': crypto.randomUUID() };
    const first = await ok('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart),
      headers,
    });
    const again = await ok('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart),
      headers,
    });
    expect(again.id).toBe(first.id);
    const noRecipient = await invoke('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart, { recipientId: '01KAXDEM000000000000000RZ9' }),
    });
    expect([noRecipient.status, noRecipient.body.errors[0].field]).toEqual([422, 'body.recipientId']);
    const noEncounter = await invoke('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart, { encounterId: '01KAXDEM000000000000000EZ9' }),
    });
    expect([noEncounter.status, noEncounter.body.errors[0].field]).toEqual([422, 'body.encounterId']);
  });
});

describe('the lifecycle', () => {
  it('sends a draft, guards every change with If-Match, and cancels once, with a reason', async () => {
    const draft = await ok('createReferral', {
      params: { patientId: chart.patientId },
      body: referralBody(chart, { draft: true }),
    });
    expect([draft.status, draft.packet]).toEqual(['draft', undefined]);
    const sent = await invoke('sendReferral', {
      params: { referralId: draft.id },
      body: {},
      headers: { 'If-Match': '"1"' },
    });
    expect(sent.status, sent.raw).toBe(200);
    expect(sent.counts).toEqual({ GetItem: 2, Query: 1, TransactWriteItems: 1 });
    expect(sent.body.status).toBe('sent');
    expect(sent.body.packet.entries).toBeGreaterThan(5);
    const stale = await invoke('cancelReferral', {
      params: { referralId: draft.id },
      body: { reason: 'x' },
      headers: { 'If-Match': '"1"' },
    });
    expect(stale.status).toBe(412);
    const close = await invoke('closeReferral', {
      params: { referralId: draft.id },
      body: {},
      headers: { 'If-Match': '"2"' },
    });
    expect(close.status).toBe(409);
    const cancel = await invoke('cancelReferral', {
      user: 'front-desk',
      params: { referralId: draft.id },
      body: { reason: 'Patient chose another cardiologist' },
      headers: { 'If-Match': '"2"' },
    });
    expect(cancel.status, cancel.raw).toBe(200);
    expect(cancel.body).toMatchObject({
      status: 'cancelled',
      cancelReason: 'Patient chose another cardiologist',
      version: 3,
    });
    expect(cancel.body.history.map((h: { status: string }) => h.status)).toEqual([
      'draft',
      'sent',
      'cancelled',
    ]);
    const twice = await invoke('cancelReferral', {
      params: { referralId: draft.id },
      body: { reason: 'x' },
      headers: { 'If-Match': '"3"' },
    });
    expect(twice.status).toBe(409);
  });
});

describe('the worklist', () => {
  it('lists open referrals overdue first (past due, or unanswered after the business days of its urgency) in one Query', async () => {
    const send = (extra: Record<string, unknown>) =>
      ok('createReferral', {
        params: { patientId: chart.patientId },
        body: referralBody(chart, { packet: { notes: [], labs: [], vitals: [] }, ...extra }),
      });
    const dueLater = await send({ urgency: 'routine' });
    const pastDue = await send({ urgency: 'routine', dueDate: '2026-01-05' });
    // Sent two weeks ago, routine, nobody answered: overdue though not yet due.
    setClock(Date.now() - 14 * 86_400_000);
    const unanswered = await send({ urgency: 'routine' });
    resetClock();
    const urgent = await send({ urgency: 'urgent' });
    const res = await invoke('listReferrals', {
      user: 'front-desk',
      query: { direction: 'outbound', limit: '100' },
    });
    expect(res.status, res.raw).toBe(200);
    expect(res.counts.Query).toBe(1);
    const mine = new Set([dueLater.id, pastDue.id, unanswered.id, urgent.id]);
    const order = (res.body.items as { id: string; overdue: boolean }[]).filter((r) => mine.has(r.id));
    expect(order.map((r) => r.id)).toEqual([pastDue.id, unanswered.id, urgent.id, dueLater.id]);
    expect(order.map((r) => r.overdue)).toEqual([true, true, false, false]);
    const overdue = await invoke('listReferrals', {
      user: 'clinician',
      query: { overdue: 'true', limit: '100' },
    });
    const overdueIds = (overdue.body.items as { id: string }[]).map((r) => r.id);
    expect(overdueIds).toEqual(expect.arrayContaining([pastDue.id, unanswered.id]));
    expect(overdueIds).not.toContain(dueLater.id);
  });

  it('directory: entries are found by specialty and name prefix, and an NPI is taken once', async () => {
    const npi = withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999)));
    const entry = await ok('createDirectoryEntry', {
      user: 'front-desk',
      body: { kind: 'organization', name: 'Zürich Sleep Centre', npi, specialty: { code: '207RS0012X' } },
    });
    const found = await invoke('searchDirectory', { query: { specialty: '207RS0012X', name: 'zurich' } });
    expect(found.counts).toEqual({ Query: 1 });
    expect(found.body.items.map((e: { id: string }) => e.id)).toContain(entry.id);
    const again = await invoke('createDirectoryEntry', {
      user: 'admin',
      body: { kind: 'organization', name: 'Other', npi, specialty: { code: '207RS0012X' } },
    });
    expect([again.status, again.body.errors[0].field]).toEqual([409, 'body.npi']);
    const badNpi = await invoke('createDirectoryEntry', {
      user: 'admin',
      body: { kind: 'organization', name: 'Other', npi: '1234567890', specialty: { code: '207RS0012X' } },
    });
    expect([badNpi.status, badNpi.body.errors[0].field]).toEqual([400, 'body.npi']);
  });
});
