// A database outage through a local gateway with real tokens: the API answers 503 problem+json with Retry-After
// (never a bare 500) whether DynamoDB refuses connections or accepts them and never answers, and writes nothing.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../infra/local/gateway.ts';
import { freePort } from '../infra/local/runtime.ts';
import { DEMO_PATIENT_ID } from '../infra/local/seed.ts';
import { resetConfig } from '../shared/config.ts';
import { resetDb } from '../shared/dynamodb.ts';
import { api, newPatientBody, tokenFor } from './support/api.ts';
import { startInProcessGateway, useLocalTable } from './support/local-env.ts';

let gateway: Gateway;
let silent: Server;
const sockets: Socket[] = [];

/** Points this process's handlers at `endpoint` (the gateway below serves them in-process). */
function databaseAt(endpoint: string) {
  useLocalTable();
  Object.assign(process.env, { DYNAMODB_ENDPOINT: endpoint, DYNAMODB_REQUEST_TIMEOUT_MS: '300' });
  resetConfig();
  resetDb();
}

beforeAll(async () => {
  databaseAt(`http://127.0.0.1:${await freePort()}`);
  gateway = await startInProcessGateway();
  // A "database" that accepts connections and never answers (a hung process, a black hole).
  silent = createServer((socket) => sockets.push(socket));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => silent?.close(r));
  await gateway?.stop();
});

async function call(method: string, path: string, user: string, body?: unknown, headers = {}) {
  const res = await fetch(`${gateway.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${await tokenFor(user)}`,
      ...(body ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

function expectUnavailable(res: { status: number; headers: Headers; body: any }) {
  expect(res.status).toBe(503);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toMatchObject({ type: '/problems/service-unavailable', status: 503 });
  expect(typeof res.body.requestId).toBe('string');
}

describe.each([
  ['refuses connections (closed port)', () => freePort().then((p) => `http://127.0.0.1:${p}`)],
  [
    'accepts connections and never answers',
    async () => `http://127.0.0.1:${(silent.address() as { port: number }).port}`,
  ],
])('DynamoDB %s', (_label, endpoint) => {
  beforeAll(async () => databaseAt(await endpoint()));

  it('a read, a search and the audit log answer 503 with Retry-After', async () => {
    expectUnavailable(await call('GET', `/v1/patients/${DEMO_PATIENT_ID}`, 'front-desk'));
    expectUnavailable(await call('GET', '/v1/patients?family=Demo', 'front-desk'));
    expectUnavailable(await call('GET', `/v1/audit?patientId=${DEMO_PATIENT_ID}`, 'admin'));
  });

  it('a write answers 503 and leaves nothing behind once the database is back', async () => {
    const body = newPatientBody();
    const res = await call('POST', '/v1/patients', 'front-desk', body, {
      'Idempotency-Key': `outage-${Date.now()}-${Math.random()}`,
    });
    expectUnavailable(res);
    // The real runtime's database: the patient was not registered.
    const found = await api('GET', `/v1/patients?family=${body.name.family}`, { user: 'front-desk' });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([]);
  });

  it('bad input is still a 400 (validation needs no database)', async () => {
    const res = await call('GET', '/v1/patients?limit=0x10', 'front-desk');
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.limit']);
  });
});
