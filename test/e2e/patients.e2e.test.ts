// The patients API end to end: what a front-end developer sees through the local gateway, called with the typed
// client (shared/client/) wherever the contract allows the request; raw `api()` only for requests it forbids.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import type { operations, RequestBody } from '../../shared/client/index.ts';
import { api, client, expectData, fieldsOf, idempotencyKey, newPatientBody } from '../support/api.ts';

async function searchFamily(family: string, user = 'admin') {
  return client(user).GET('/v1/patients', { params: { query: { family } } });
}

const read = (patientId: string, user = 'admin') =>
  client(user).GET('/v1/patients/{patientId}', { params: { path: { patientId } } });
const search = (query: NonNullable<operations['searchPatients']['parameters']['query']>) =>
  client('admin').GET('/v1/patients', { params: { query } });
const change = (patientId: string, ifMatch: string, body: RequestBody<'updatePatient'>) =>
  client('admin').PATCH('/v1/patients/{patientId}', {
    params: { path: { patientId }, header: { 'If-Match': ifMatch } },
    body,
  });

describe('register and read a patient', () => {
  it('creates with a system MRN, ETag and Location, then reads it back', async () => {
    const body = newPatientBody();
    const created = await client('front-desk').POST('/v1/patients', { body });
    const patient = expectData(created, 201);
    expect(patient).toMatchObject({ ...body, version: 1 });
    expect(patient.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(patient.mrn).toMatch(/^M[0-9A-Z]{8}$/);
    expect(created.response.headers.get('etag')).toBe('"1"');
    expect(created.response.headers.get('location')).toBe(`/v1/patients/${patient.id}`);
    expect(created.response.headers.get('cache-control')).toBe('no-store');
    expect(created.response.headers.get('x-content-type-options')).toBe('nosniff');

    const again = await read(patient.id, 'nurse');
    expect(again.response.status).toBe(200);
    expect(again.data).toEqual(patient);
    expect(again.response.headers.get('etag')).toBe('"1"');
  });

  it('leaves an audit trail of the write and the read', async () => {
    const created = expectData(
      await client('clinician').POST('/v1/patients', { body: newPatientBody() }),
      201,
    );
    await read(created.id, 'nurse');
    const audit = expectData(
      await client('admin').GET('/v1/audit', { params: { query: { patientId: created.id } } }),
      200,
    );
    const actions = audit.items.map((r) => `${r.action}:${r.outcome}:${r.actor.roles.join('+')}`);
    expect(actions).toEqual(
      expect.arrayContaining(['patient.create:success:clinician', 'patient.read:success:nurse']),
    );
    for (const record of audit.items) {
      expect(record).toMatchObject({ resourceType: 'Patient', patientId: created.id });
      expect(record.requestId).toBeTruthy();
      expect(Date.parse(record.at)).not.toBeNaN();
    }
  });

  it('rejects an MRN that another patient has (409) and keeps the client MRN otherwise', async () => {
    const mrn = `T-${Date.now().toString(36).toUpperCase()}`;
    const first = await client().POST('/v1/patients', { body: newPatientBody({ mrn }) });
    expect(expectData(first, 201).mrn).toBe(mrn);
    const second = await client().POST('/v1/patients', { body: newPatientBody({ mrn }) });
    expect(second.response.status).toBe(409);
    expect(fieldsOf(second.error)).toEqual(['body.mrn']);
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body returns the first response and creates nothing more', async () => {
    const body = newPatientBody();
    const header = idempotencyKey();
    const first = await client().POST('/v1/patients', { body, params: { header } });
    const again = await client().POST('/v1/patients', { body, params: { header } });
    expect(first.response.status).toBe(201);
    expect(again.response.status).toBe(201);
    expect(again.data).toEqual(first.data);
    expect(again.response.headers.get('idempotent-replayed')).toBe('true');
    const found = await searchFamily(body.name.family);
    expect(found.data?.items).toHaveLength(1);
  });

  it('the same key with another body is 422 and creates nothing', async () => {
    const header = idempotencyKey();
    const body = newPatientBody();
    expect((await client().POST('/v1/patients', { body, params: { header } })).response.status).toBe(201);
    const other = newPatientBody();
    const res = await client().POST('/v1/patients', { body: other, params: { header } });
    expect(res.response.status).toBe(422);
    expect(fieldsOf(res.error)).toEqual(['headers.idempotency-key']);
    expect((await searchFamily(other.name.family)).data?.items).toHaveLength(0);
  });
});

describe('PATCH with If-Match', () => {
  async function created() {
    return expectData(await client().POST('/v1/patients', { body: newPatientBody() }), 201);
  }

  it('updates with the current ETag and bumps the version', async () => {
    const patient = await created();
    const res = await change(patient.id, '"1"', { preferredLanguage: 'en', contact: null });
    const changed = expectData(res, 200);
    expect(changed.version).toBe(2);
    expect(changed.preferredLanguage).toBe('en');
    expect(changed.contact).toBeUndefined();
    expect(res.response.headers.get('etag')).toBe('"2"');
    expect((await read(patient.id)).data).toEqual(changed);
  });

  it('412 on a stale ETag and 428 without one, changing nothing', async () => {
    const patient = await created();
    const ok = await change(patient.id, '"1"', { gender: 'other' });
    expect(ok.response.status).toBe(200);
    const stale = await change(patient.id, '"1"', { gender: 'male' });
    expect(stale.response.status).toBe(412);
    expect(stale.response.headers.get('etag')).toBe('"2"');
    // The contract requires If-Match, so the typed client cannot leave it out: a raw call does.
    const missing = await api('PATCH', `/v1/patients/${patient.id}`, { body: { gender: 'male' } });
    expect(missing.status).toBe(428);
    expect(fieldsOf(missing.body)).toEqual(['headers.if-match']);
    const now = expectData(await read(patient.id), 200);
    expect(now.gender).toBe('other');
    expect(now.version).toBe(2);
  });

  it('moving a patient to a new MRN frees the old one', async () => {
    const patient = await created();
    const newMrn = `N-${Date.now().toString(36).toUpperCase()}`;
    const res = await change(patient.id, '"1"', { mrn: newMrn });
    expect(res.response.status).toBe(200);
    const reuse = await client().POST('/v1/patients', { body: newPatientBody({ mrn: patient.mrn }) });
    expect(reuse.response.status).toBe(201);
    const byMrn = await search({ mrn: newMrn });
    expect(byMrn.data?.items.map((p) => p.id)).toEqual([patient.id]);
  });

  it('404 for an unknown patient', async () => {
    const res = await change('01KAXZZZZZZZZZZZZZZZZZZZZZ', '"1"', { gender: 'male' });
    expect(res.response.status).toBe(404);
  });
});

describe('search', () => {
  it('matches a family-name prefix ignoring case and accents, filters by given name and birth date', async () => {
    const stem = newPatientBody().name.family;
    const a = expectData(
      await client().POST('/v1/patients', {
        body: newPatientBody({ name: { given: ['Zoë'], family: `${stem}García` }, birthDate: '1990-01-01' }),
      }),
      201,
    );
    const b = expectData(
      await client().POST('/v1/patients', {
        body: newPatientBody({
          name: { given: ['Ana'], family: `${stem}Garcia-López` },
          birthDate: '1991-02-02',
        }),
      }),
      201,
    );
    await client().POST('/v1/patients', {
      body: newPatientBody({ name: { given: ['Ana'], family: `${stem}Hernández` } }),
    });
    const both = await searchFamily(`${stem.toUpperCase()}GARCÍA`);
    expect(both.response.status).toBe(200);
    expect(both.data?.items.map((p) => p.id).sort()).toEqual([a.id, b.id].sort());
    const zoe = await search({ family: `${stem}garcia`, given: 'zoe' });
    expect(zoe.data?.items.map((p) => p.id)).toEqual([a.id]);
    const byDate = await search({ family: stem, birthDate: '1991-02-02' });
    expect(byDate.data?.items.map((p) => p.id)).toEqual([b.id]);
  });

  it('finds by exact MRN', async () => {
    const a = expectData(await client().POST('/v1/patients', { body: newPatientBody() }), 201);
    const res = await search({ mrn: a.mrn.toLowerCase() });
    expect(res.data?.items.map((p) => p.id)).toEqual([a.id]);
  });

  it('pages with an opaque cursor, in name order, without repeats', async () => {
    const stem = newPatientBody().name.family;
    const ids: string[] = [];
    for (const given of ['A', 'B', 'C', 'D', 'E']) {
      const res = await client().POST('/v1/patients', {
        body: newPatientBody({ name: { given: [given], family: stem } }),
      });
      ids.push(expectData(res, 201).id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = expectData(await search({ family: stem, limit: 2, ...(cursor ? { cursor } : {}) }), 200);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('rejects limit over 100, a tampered cursor and unknown parameters, naming them', async () => {
    const limit = await search({ limit: 101 });
    expect(limit.response.status).toBe(400);
    expect(fieldsOf(limit.error)).toEqual(['query.limit']);
    const first = expectData(await search({ limit: 1 }), 200);
    expect(first.nextCursor).toBeTruthy();
    const nextCursor = first.nextCursor ?? '';
    const tampered = `${nextCursor.slice(0, -2)}AA`;
    const bad = await search({ limit: 1, cursor: tampered });
    expect(bad.response.status).toBe(400);
    expect(fieldsOf(bad.error)).toEqual(['query.cursor']);
    const otherQuery = await search({ limit: 2, cursor: nextCursor });
    expect(otherQuery.response.status).toBe(400);
    // Unknown parameters are outside the contract: only a raw call can send one.
    const unknown = await api('GET', '/v1/patients?famly=smith');
    expect(unknown.status).toBe(400);
    expect(fieldsOf(unknown.body)).toEqual(['query.famly']);
  });
});

describe('bad input is a 4xx problem naming the field, and writes nothing', () => {
  const cases: [string, (b: any) => unknown, number, string][] = [
    ['an unknown field', (b) => ({ ...b, favouriteColour: 'blue' }), 400, 'body.favouriteColour'],
    ['a server-owned field', (b) => ({ ...b, id: '01KAXZZZZZZZZZZZZZZZZZZZZZ' }), 400, 'body.id'],
    ['a wrong type', (b) => ({ ...b, gender: 5 }), 400, 'body.gender'],
    ['an impossible date', (b) => ({ ...b, birthDate: '2023-02-30' }), 400, 'body.birthDate'],
    ['a future birth date', (b) => ({ ...b, birthDate: '2999-01-01' }), 400, 'body.birthDate'],
    ['a missing required field', (b) => ({ ...b, name: { given: ['X'] } }), 400, 'body.name.family'],
    ['a bad e-mail', (b) => ({ ...b, contact: { email: 'not-an-email' } }), 400, 'body.contact.email'],
  ];
  for (const [what, spoil, status, field] of cases) {
    it(`${what} → ${status} naming ${field}`, async () => {
      const body = newPatientBody();
      const res = await api('POST', '/v1/patients', { body: spoil(body) });
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(fieldsOf(res.body)).toContain(field);
      expect((await searchFamily(body.name.family)).data?.items).toHaveLength(0);
    });
  }

  it('malformed JSON → 400 naming the body', async () => {
    const res = await api('POST', '/v1/patients', { rawBody: '{"name": {"given": ["A"], ' });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['body']);
  });

  it('a body over 256 KB → 413 naming the body, nothing written', async () => {
    const body = newPatientBody();
    const huge = {
      ...body,
      emergencyContact: { name: 'x'.repeat(300 * 1024), relationship: 'sister', phone: '+15550100' },
    };
    const res = await client().POST('/v1/patients', { body: huge });
    expect(res.response.status).toBe(413);
    expect(fieldsOf(res.error)).toEqual(['body']);
    expect((await searchFamily(body.name.family)).data?.items).toHaveLength(0);
  });

  it('a non-JSON content type → 415', async () => {
    const res = await api('POST', '/v1/patients', {
      rawBody: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });

  it('a malformed patient id in the path → 400 naming it', async () => {
    const res = await read('not-an-id');
    expect(res.response.status).toBe(400);
    expect(fieldsOf(res.error)).toEqual(['params.patientId']);
  });
});

describe('no PHI in logs', () => {
  it('names, birth dates, e-mails and phones never reach the log', async () => {
    const body = newPatientBody({
      birthDate: '1933-03-13',
      contact: { email: 'phi-canary@example.org', phone: '+1 555 0142' },
    });
    const created = expectData(await client().POST('/v1/patients', { body }), 201);
    await read(created.id);
    await searchFamily(body.name.family);
    await api('POST', '/v1/patients', { body: { ...body, gender: 'nonsense' } });
    await new Promise((r) => setTimeout(r, 200));
    const log = readFileSync(inject('runtimeLogFile'), 'utf8');
    expect(log).toContain('"operation":"createPatient"');
    for (const phi of [body.name.family, '1933-03-13', 'phi-canary', '555 0142'])
      expect(log).not.toContain(phi);
  });
});
