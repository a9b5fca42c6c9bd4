// The local FHIR server (HealthLake stand-in) over real HTTP: CRUD, optimistic locking, search, history, transactions,
// validation, body limit and the fault switch the exchange code is tested against.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FhirServer, startFhirServer } from './fhir-server.ts';

const FHIR_JSON = 'application/fhir+json';

let server: FhirServer;

async function fhir(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/${path}`, {
    method,
    headers: { accept: FHIR_JSON, ...(body === undefined ? {} : { 'content-type': FHIR_JSON }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  // Any resource type comes back; the assertions say what they expect of it.
  const json = (text ? JSON.parse(text) : undefined) as any;
  return { status: response.status, headers: response.headers, json };
}

beforeAll(async () => {
  server = await startFhirServer({ port: 0 });
});

afterAll(async () => {
  await server?.stop();
});

describe('local FHIR server', () => {
  it('serves a CapabilityStatement under the /fhir/R4 base path', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir\/R4$/);
    const { status, headers, json } = await fhir('GET', 'metadata');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain(FHIR_JSON);
    expect(json.resourceType).toBe('CapabilityStatement');
    expect(json.fhirVersion).toBe('4.0.1');
    const patient = json.rest[0].resource.find((r: { type: string }) => r.type === 'Patient');
    expect(patient.searchParam.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['family', 'birthdate', 'identifier']),
    );
  });

  it('creates, reads, updates with If-Match, searches, keeps history and deletes a Patient', async () => {
    const family = `Okafor-${Date.now()}`;
    const created = await fhir('POST', 'Patient', {
      resourceType: 'Patient',
      name: [{ family, given: ['Ada'] }],
      birthDate: '1980-02-29',
    });
    expect(created.status).toBe(201);
    const { id, meta } = created.json;
    expect(id).toEqual(expect.any(String));
    expect(created.headers.get('etag')).toBe(`W/"${meta.versionId}"`);
    expect(created.headers.get('location')).toBe(`${server.url}/Patient/${id}/_history/${meta.versionId}`);

    const read = await fhir('GET', `Patient/${id}`);
    expect(read.status).toBe(200);
    expect(read.json.name[0]).toEqual({ family, given: ['Ada'] });

    const updated = await fhir(
      'PUT',
      `Patient/${id}`,
      { ...read.json, gender: 'female' },
      { 'if-match': `W/"${meta.versionId}"` },
    );
    expect(updated.status).toBe(200);
    expect(updated.json.gender).toBe('female');
    expect(updated.json.meta.versionId).not.toBe(meta.versionId);

    // A writer holding the first version loses: 412 with an OperationOutcome, and the stored resource is unchanged.
    const stale = await fhir(
      'PUT',
      `Patient/${id}`,
      { ...read.json, gender: 'male' },
      { 'if-match': `W/"${meta.versionId}"` },
    );
    expect(stale.status).toBe(412);
    expect(stale.json.resourceType).toBe('OperationOutcome');
    // A bare version (no quotes) is still checked, not silently ignored.
    const bare = await fhir(
      'PUT',
      `Patient/${id}`,
      { ...read.json, gender: 'male' },
      { 'if-match': meta.versionId },
    );
    expect(bare.status).toBe(412);
    expect((await fhir('GET', `Patient/${id}`)).json.gender).toBe('female');

    const search = await fhir('GET', `Patient?family=${encodeURIComponent(family)}`);
    expect(search.status).toBe(200);
    expect(search.json).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(search.json.entry[0].fullUrl).toBe(`${server.url}/Patient/${id}`);
    expect((await fhir('GET', 'Patient?family=NoSuchFamily')).json.total).toBe(0);

    // Newest first, and the same order on every call.
    for (let i = 0; i < 2; i++) {
      const history = await fhir('GET', `Patient/${id}/_history`);
      expect(history.json.type).toBe('history');
      expect(
        history.json.entry.map((e: { resource: { gender?: string } }) => e.resource.gender ?? null),
      ).toEqual(['female', null]);
    }

    const deleted = await fhir('DELETE', `Patient/${id}`);
    expect(deleted.status).toBe(200);
    const gone = await fhir('GET', `Patient/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.resourceType).toBe('OperationOutcome');
  });

  it('rejects invalid resources and bad requests with an OperationOutcome', async () => {
    const invalid = await fhir('POST', 'Patient', {
      resourceType: 'Patient',
      birthDate: 'yesterday',
      nickname: 'x',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.json.resourceType).toBe('OperationOutcome');
    expect(invalid.json.issue.map((i: { expression: string[] }) => i.expression[0])).toEqual(
      expect.arrayContaining(['Patient.birthDate', 'Patient.nickname']),
    );
    const { json: valid } = await fhir('POST', 'Patient', { resourceType: 'Patient' });
    const invalidUpdate = await fhir('PUT', `Patient/${valid.id}`, { ...valid, gender: 42 });
    expect(invalidUpdate.status).toBe(400);
    expect(invalidUpdate.json.issue[0].expression).toEqual(['Patient.gender']);
    expect((await fhir('POST', 'Patient', '{not json')).status).toBe(400);
    expect((await fhir('POST', 'Patient', { resourceType: 'Observation' })).status).toBe(400);
    expect((await fhir('GET', 'Patient/does-not-exist')).status).toBe(404);
  });

  it('rewrites urn:uuid references in a transaction and rolls a failed one back', async () => {
    const patientUrn = `urn:uuid:${crypto.randomUUID()}`;
    const ok = await fhir('POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: patientUrn,
          request: { method: 'POST', url: 'Patient' },
          resource: { resourceType: 'Patient', name: [{ family: 'Transact' }] },
        },
        {
          request: { method: 'POST', url: 'Observation' },
          resource: {
            resourceType: 'Observation',
            status: 'final',
            code: { text: 'Heart rate' },
            subject: { reference: patientUrn },
          },
        },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.json.type).toBe('transaction-response');
    const [patientEntry, observationEntry] = ok.json.entry;
    expect(patientEntry.response.status).toBe('201');
    expect(observationEntry.resource.subject.reference).toBe(`Patient/${patientEntry.resource.id}`);
    const bySubject = await fhir('GET', `Observation?subject=Patient/${patientEntry.resource.id}`);
    expect(bySubject.json.total).toBe(1);

    const family = `Rollback-${Date.now()}`;
    const failed = await fhir('POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          request: { method: 'POST', url: 'Patient' },
          resource: { resourceType: 'Patient', name: [{ family }] },
        },
        {
          request: { method: 'PUT', url: `Patient/${patientEntry.resource.id}`, ifMatch: 'W/"stale"' },
          resource: { resourceType: 'Patient', id: patientEntry.resource.id },
        },
      ],
    });
    expect(failed.status).toBe(412);
    expect((await fhir('GET', `Patient?family=${family}`)).json.total).toBe(0);

    const batch = await fhir('POST', '', {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [
        { request: { method: 'GET', url: `Patient/${patientEntry.resource.id}` } },
        { request: { method: 'GET', url: 'Patient/missing' } },
      ],
    });
    expect(batch.json.entry.map((e: { response: { status: string } }) => e.response.status)).toEqual([
      '200',
      '404',
    ]);
  });

  it('refuses request bodies over 5 MB with 413', async () => {
    const big = {
      resourceType: 'Patient',
      text: {
        status: 'generated',
        div: `<div xmlns="http://www.w3.org/1999/xhtml">${'x'.repeat(5 * 1024 * 1024)}</div>`,
      },
    };
    const response = await fhir('POST', 'Patient', big);
    expect(response.status).toBe(413);
    expect(response.json.resourceType).toBe('OperationOutcome');
  });

  it('fails the configured share of requests while the fault switch is set', async () => {
    const { json: patient } = await fhir('POST', 'Patient', { resourceType: 'Patient' });
    try {
      server.faults.set({ failRatio: 0.25, status: 503 });
      const statuses: number[] = [];
      const outcomes: string[] = [];
      for (let i = 0; i < 40; i++) {
        const response = await fhir('GET', `Patient/${patient.id}`);
        statuses.push(response.status);
        outcomes.push(response.json.resourceType);
      }
      expect(statuses.filter((s) => s === 503)).toHaveLength(10);
      expect(statuses.filter((s) => s === 200)).toHaveLength(30);
      expect(outcomes.filter((r) => r === 'OperationOutcome')).toHaveLength(10);

      // Same switch over HTTP, outside the FHIR base path: throttling with added latency.
      const origin = new URL(server.url).origin;
      const set = await fetch(`${origin}/$fault`, {
        method: 'POST',
        body: JSON.stringify({ failRatio: 0.5, status: 429, latencyMs: 30 }),
      });
      expect(set.status).toBe(200);
      const started = performance.now();
      const throttled: number[] = [];
      const retryAfter: (string | null)[] = [];
      for (let i = 0; i < 10; i++) {
        const response = await fhir('GET', `Patient/${patient.id}`);
        throttled.push(response.status);
        if (response.status === 429) retryAfter.push(response.headers.get('retry-after'));
      }
      expect(performance.now() - started).toBeGreaterThanOrEqual(10 * 30);
      expect(throttled.filter((s) => s === 429)).toHaveLength(5);
      expect(retryAfter.every((value) => value !== null)).toBe(true);

      const invalid = await fetch(`${origin}/$fault`, {
        method: 'POST',
        body: JSON.stringify({ failRatio: 2 }),
      });
      expect(invalid.status).toBe(400);
      expect((await fetch(`${origin}/$fault`, { method: 'DELETE' })).status).toBe(204);
      for (let i = 0; i < 5; i++) expect((await fhir('GET', `Patient/${patient.id}`)).status).toBe(200);
    } finally {
      server.faults.clear();
    }
  });

  it('stops listening when stopped', async () => {
    const other = await startFhirServer({ port: 0 });
    expect((await fetch(`${other.url}/metadata`)).status).toBe(200);
    await other.stop();
    await expect(fetch(`${other.url}/metadata`)).rejects.toThrow();
  });
});

describe('local FHIR server with a data folder', () => {
  it('keeps its resources and their history across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'continuum-test-fhir-'));
    try {
      const first = await startFhirServer({ port: 0, dataDir });
      const put = (version: string) =>
        fetch(`${first.url}/Patient/kept`, {
          method: 'PUT',
          headers: { 'content-type': FHIR_JSON },
          body: JSON.stringify({ resourceType: 'Patient', id: 'kept', name: [{ family: version }] }),
        });
      expect((await put('One')).ok).toBe(true);
      expect((await put('Two')).ok).toBe(true);
      await first.stop();

      const second = await startFhirServer({ port: 0, dataDir });
      try {
        const read = await fetch(`${second.url}/Patient/kept`);
        expect(read.status).toBe(200);
        expect(((await read.json()) as any).name).toEqual([{ family: 'Two' }]);
        const history = (await (await fetch(`${second.url}/Patient/kept/_history`)).json()) as any;
        expect(history.entry.map((e: any) => e.resource.name[0].family)).toEqual(['Two', 'One']);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
