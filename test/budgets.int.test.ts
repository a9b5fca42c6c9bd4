// DynamoDB requests per operation, counted at the SDK while invoking the real handlers against DynamoDB Local.
// Budgets from docs/data-model.md: create = 1 TransactWriteItems; read = 1 GetItem + 1 audit PutItem;
// search page = 1 Query (+ audit); update = 1 GetItem + 1 TransactWriteItems; never a Scan.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPatient, getPatient, searchPatients, updatePatient } from '../functions/patients/routes.ts';
import { buildEvent } from '../infra/local/events.ts';
import { countRequests } from '../shared/dynamodb.ts';
import type { AnyRoute } from '../shared/http/route.ts';
import { useLocalTable } from './support/local-env.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'budget', getRemainingTimeInMillis: () => 10_000 } as Context;
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  useLocalTable();
  for (const route of [createPatient, getPatient, searchPatients, updatePatient]) {
    const url = pathToFileURL(join(import.meta.dirname, '..', route.handler)).href;
    handlers.set(route.operationId, ((await import(/* @vite-ignore */ url)) as { handler: Handler }).handler);
  }
});

async function invoke(route: AnyRoute, input: Parameters<typeof buildEvent>[1]) {
  const handler = handlers.get(route.operationId);
  if (!handler) throw new Error(route.operationId);
  const { result, counts } = await countRequests(() => handler(buildEvent(route, input), context));
  return { status: result.statusCode, body: JSON.parse(result.body || 'null'), counts };
}

const family = `Budget${crypto.randomUUID().replace(/[^a-f]/g, '')}`;
const newPatient = () => ({ name: { given: ['Bud'], family }, birthDate: '1990-09-09', gender: 'male' });

describe('DynamoDB requests per operation', () => {
  it('create patient = 1 TransactWriteItems (patient + MRN guard + audit), also with an Idempotency-Key', async () => {
    const plain = await invoke(createPatient, { body: newPatient() });
    expect(plain.status).toBe(201);
    expect(plain.counts).toEqual({ TransactWriteItems: 1 });
    const keyed = await invoke(createPatient, {
      body: newPatient(),
      headers: { 'Idempotency-Key': crypto.randomUUID() },
    });
    expect(keyed.status).toBe(201);
    expect(keyed.counts).toEqual({ TransactWriteItems: 1 });
  });

  it('read patient = 1 GetItem + 1 audit PutItem', async () => {
    const created = await invoke(createPatient, { body: newPatient() });
    const read = await invoke(getPatient, { params: { patientId: created.body.id } });
    expect(read.status).toBe(200);
    expect(read.counts).toEqual({ GetItem: 1, PutItem: 1 });
  });

  it('search page = 1 Query, plus one audit transaction for the patients disclosed', async () => {
    const page = await invoke(searchPatients, { query: { family, limit: '20' } });
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeGreaterThan(1);
    expect(page.counts).toEqual({ Query: 1, TransactWriteItems: 1 });
    const byMrn = await invoke(searchPatients, { query: { mrn: page.body.items[0].mrn } });
    expect(byMrn.counts).toEqual({ Query: 1, PutItem: 1 });
  });

  it('update patient = 1 GetItem + 1 TransactWriteItems', async () => {
    const created = await invoke(createPatient, { body: newPatient() });
    const updated = await invoke(updatePatient, {
      params: { patientId: created.body.id },
      body: { preferredLanguage: 'en' },
      headers: { 'If-Match': '"1"' },
    });
    expect(updated.status).toBe(200);
    expect(updated.counts).toEqual({ GetItem: 1, TransactWriteItems: 1 });
  });

  it('a denied request costs one audit write and reads nothing', async () => {
    const denied = await invoke(createPatient, { body: newPatient(), user: 'billing' });
    expect(denied.status).toBe(403);
    expect(denied.counts).toEqual({ PutItem: 1 });
  });
});
