// A practice set up for billing through the handlers, against DynamoDB Local: a location, a provider, the billing
// profile (created once per table), a payer of its own, and helpers that take a patient from a signed visit to
// submitted claims. Shared by the remittance, ledger and benchmark tests.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { accountRoutes } from '../../functions/billing/account-routes.ts';
import { remittanceRoutes } from '../../functions/billing/remittance-routes.ts';
import { routes as billingRoutes } from '../../functions/billing/routes.ts';
import { routes as chartingRoutes } from '../../functions/charting/routes.ts';
import { createPatient } from '../../functions/patients/routes.ts';
import { createLocation, createProvider } from '../../functions/scheduling/routes.ts';
import { buildEvent } from '../../infra/local/events.ts';
import type { Role } from '../../shared/auth/roles.ts';
import { countRequests, type RequestCounts } from '../../shared/dynamodb.ts';
import type { AnyRoute } from '../../shared/http/route.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'billing', getRemainingTimeInMillis: () => 900_000 } as Context;
const handlers = new Map<string, { route: AnyRoute; handler: Handler }>();

export interface Call {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  user?: Role;
}

export interface Answer {
  status: number;
  body: any;
  text: string;
  headers: Record<string, unknown>;
  counts: RequestCounts;
}

export async function loadHandlers(): Promise<void> {
  if (handlers.size > 0) return;
  const all = [
    ...billingRoutes,
    ...accountRoutes,
    ...remittanceRoutes,
    ...chartingRoutes,
    createPatient,
    createLocation,
    createProvider,
  ];
  for (const route of all) {
    const url = pathToFileURL(join(import.meta.dirname, '..', '..', route.handler)).href;
    const { handler } = (await import(/* @vite-ignore */ url)) as { handler: Handler };
    handlers.set(route.operationId, { route, handler });
  }
}

export async function invoke(operationId: string, input: Call = {}): Promise<Answer> {
  const entry = handlers.get(operationId);
  if (!entry) throw new Error(operationId);
  const { result, counts } = await countRequests(() =>
    entry.handler(buildEvent(entry.route, { user: 'billing', ...input }), context),
  );
  const json = result.headers?.['Content-Type']?.toString().includes('json') ?? true;
  return {
    status: result.statusCode,
    body: json ? JSON.parse(result.body || 'null') : result.body,
    text: result.body,
    headers: result.headers ?? {},
    counts,
  };
}

export async function ok(operationId: string, input: Call, status = 200) {
  const res = await invoke(operationId, input);
  if (res.status !== status) throw new Error(`${operationId}: ${res.status} ${res.text}`);
  return res.body;
}

export const ifMatch = (version: number) => ({ 'If-Match': `"${version}"` });
export const key = () => ({ 'Idempotency-Key': crypto.randomUUID() });
const unique = () => Math.random().toString(36).slice(2, 8).toUpperCase();

export interface Practice {
  locationId: string;
  providerId: string;
  payerId: string;
  payerX12Id: string;
  rendering: { name: { family: string; given: string[] }; npi: string; taxonomy: string };
}

export async function setUpBillingPractice(): Promise<Practice> {
  await loadHandlers();
  const locationId = (
    await ok(
      'createLocation',
      {
        user: 'admin',
        body: { name: 'Remit clinic', address: { line: ['1 St'], city: 'X' }, timeZone: 'America/Chicago' },
      },
      201,
    )
  ).id;
  const providerId = (
    await ok(
      'createProvider',
      {
        user: 'admin',
        body: {
          name: { given: ['Rita'], family: 'Remit' },
          npi: withNpiCheckDigit(String(100_000_000 + Math.floor(Math.random() * 899_999_999))),
          specialty: 'Family medicine',
          locationIds: [locationId],
        },
      },
      201,
    )
  ).id;
  const profile = await invoke('getBillingProfile', {});
  if (profile.status !== 200) {
    const created = await invoke('putBillingProfile', {
      user: 'admin',
      body: {
        name: 'Billing Test Practice',
        npi: withNpiCheckDigit('123456789'),
        taxId: '12-3456789',
        taxonomy: '207Q00000X',
        address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701-1234' },
        submitter: {
          id: 'TESTSUB',
          name: 'Billing Test Practice',
          contactName: 'Billing',
          phone: '217-555-0100',
        },
        receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
      },
      headers: ifMatch(0),
    });
    // Another test file may have created it meanwhile: either way there is one now.
    if (created.status !== 201 && created.status !== 412 && created.status !== 409)
      throw new Error(`profile: ${created.status} ${created.text}`);
  }
  const payerX12Id = `RMT${unique()}`;
  const payerId = (
    await ok(
      'createPayer',
      {
        body: { name: 'Remit Health', payerId: payerX12Id, filingIndicator: 'CI', timelyFilingDays: 365 },
        headers: key(),
      },
      201,
    )
  ).id;
  return {
    locationId,
    providerId,
    payerId,
    payerX12Id,
    rendering: {
      name: { family: 'Remit', given: ['Rita'] },
      npi: withNpiCheckDigit('987654321'),
      taxonomy: '207Q00000X',
    },
  };
}

export async function newPatient(family = 'Remitted'): Promise<string> {
  return (
    await ok(
      'createPatient',
      {
        user: 'front-desk',
        body: {
          name: { given: ['Ada'], family },
          birthDate: '1950-03-01',
          gender: 'female',
          contact: {
            address: { line: ['2 Oak Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
          },
        },
        headers: key(),
      },
      201,
    )
  ).id;
}

export async function cover(patientId: string, payerId: string, order: 'primary' | 'secondary' = 'primary') {
  return ok(
    'createCoverage',
    {
      user: 'front-desk',
      params: { patientId },
      body: { payerId, order, memberId: `M${unique()}`, relationship: 'self', start: '2020-01-01' },
      headers: key(),
    },
    201,
  );
}

export interface Line {
  code: string;
  charge: number;
  units?: number;
}

/** A signed, finished visit with these service lines, made into a ready claim. */
export async function readyClaim(practice: Practice, patientId: string, lines: Line[]) {
  const p = { patientId };
  const encounter = await ok(
    'createEncounter',
    {
      user: 'clinician',
      params: p,
      body: {
        class: 'ambulatory',
        provider: { id: practice.providerId, name: 'Dr. Remit' },
        location: { id: practice.locationId, name: 'Remit clinic' },
        reason: 'Follow-up',
      },
      headers: key(),
    },
    201,
  );
  const note = await ok(
    'createNote',
    { user: 'clinician', params: p, body: { encounterId: encounter.id } },
    201,
  );
  await ok('finishEncounter', {
    user: 'clinician',
    params: { ...p, encounterId: encounter.id },
    headers: { ...ifMatch(1), ...key() },
  });
  await ok('signNote', {
    user: 'clinician',
    params: { ...p, noteId: note.id },
    headers: { ...ifMatch(1), ...key() },
  });
  await ok(
    'putEncounterCharges',
    {
      user: 'clinician',
      params: { patientId, encounterId: encounter.id },
      body: {
        diagnoses: ['E11.9'],
        lines: lines.map((l) => ({
          code: l.code,
          charge: l.charge,
          units: l.units ?? 1,
          diagnosisPointers: [1],
        })),
        renderingProvider: practice.rendering,
      },
      headers: ifMatch(0),
    },
    201,
  );
  const claim = await ok(
    'createClaim',
    { body: { patientId, encounterId: encounter.id }, headers: key() },
    201,
  );
  return ok('readyClaim', { params: { claimId: claim.id }, body: {}, headers: { ...ifMatch(1), ...key() } });
}

/** Submits ready claims in batches of 40 (the batch route's limit); returns the claims as submitted. */
export async function submit(claimIds: string[]) {
  for (let i = 0; i < claimIds.length; i += 40) {
    await ok('createClaimBatch', { body: { claimIds: claimIds.slice(i, i + 40) }, headers: key() }, 201);
  }
  return Promise.all(claimIds.map((id) => ok('getClaim', { params: { claimId: id } })));
}
