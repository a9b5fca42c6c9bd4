// The patients API end to end: what a front-end developer sees through the local gateway.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { api, newPatientBody } from '../support/api.ts';

function fieldsOf(body: any): string[] {
  return (body.errors ?? []).map((e: { field: string }) => e.field);
}

async function searchFamily(family: string, user = 'admin') {
  return api('GET', `/v1/patients?family=${encodeURIComponent(family)}`, { user });
}

describe('register and read a patient', () => {
  it('creates with a system MRN, ETag and Location, then reads it back', async () => {
    const body = newPatientBody();
    const created = await api('POST', '/v1/patients', { user: 'front-desk', body });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ ...body, version: 1 });
    expect(created.body.id).toMatch(/^[0-9A-Z]{26}$/);
    expect(created.body.mrn).toMatch(/^M[0-9A-Z]{8}$/);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.headers.get('location')).toBe(`/v1/patients/${created.body.id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.headers.get('x-content-type-options')).toBe('nosniff');

    const read = await api('GET', `/v1/patients/${created.body.id}`, { user: 'nurse' });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get('etag')).toBe('"1"');
  });

  it('leaves an audit trail of the write and the read', async () => {
    const created = await api('POST', '/v1/patients', { user: 'clinician', body: newPatientBody() });
    await api('GET', `/v1/patients/${created.body.id}`, { user: 'nurse' });
    const audit = await api('GET', `/v1/audit?patientId=${created.body.id}`, { user: 'admin' });
    expect(audit.status).toBe(200);
    const actions = audit.body.items.map((r: any) => `${r.action}:${r.outcome}:${r.actor.roles.join('+')}`);
    expect(actions).toEqual(
      expect.arrayContaining(['patient.create:success:clinician', 'patient.read:success:nurse']),
    );
    for (const record of audit.body.items) {
      expect(record).toMatchObject({ resourceType: 'Patient', patientId: created.body.id });
      expect(record.requestId).toBeTruthy();
      expect(Date.parse(record.at)).not.toBeNaN();
    }
  });

  it('rejects an MRN that another patient has (409) and keeps the client MRN otherwise', async () => {
    const mrn = `T-${Date.now().toString(36).toUpperCase()}`;
    const first = await api('POST', '/v1/patients', { body: newPatientBody({ mrn }) });
    expect(first.status).toBe(201);
    expect(first.body.mrn).toBe(mrn);
    const second = await api('POST', '/v1/patients', { body: newPatientBody({ mrn }) });
    expect(second.status).toBe(409);
    expect(fieldsOf(second.body)).toEqual(['body.mrn']);
  });
});

describe('Idempotency-Key', () => {
  it('a retry with the same key and body returns the first response and creates nothing more', async () => {
    const body = newPatientBody();
    const key = `key-${crypto.randomUUID()}`;
    const first = await api('POST', '/v1/patients', { body, headers: { 'Idempotency-Key': key } });
    const again = await api('POST', '/v1/patients', { body, headers: { 'Idempotency-Key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const found = await searchFamily(body.name.family);
    expect(found.body.items).toHaveLength(1);
  });

  it('the same key with another body is 422 and creates nothing', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const body = newPatientBody();
    expect((await api('POST', '/v1/patients', { body, headers: { 'Idempotency-Key': key } })).status).toBe(
      201,
    );
    const other = newPatientBody();
    const res = await api('POST', '/v1/patients', { body: other, headers: { 'Idempotency-Key': key } });
    expect(res.status).toBe(422);
    expect(fieldsOf(res.body)).toEqual(['headers.idempotency-key']);
    expect((await searchFamily(other.name.family)).body.items).toHaveLength(0);
  });
});

describe('PATCH with If-Match', () => {
  async function created() {
    const res = await api('POST', '/v1/patients', { body: newPatientBody() });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('updates with the current ETag and bumps the version', async () => {
    const patient = await created();
    const res = await api('PATCH', `/v1/patients/${patient.id}`, {
      body: { preferredLanguage: 'en', contact: null },
      headers: { 'If-Match': '"1"' },
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    expect(res.body.preferredLanguage).toBe('en');
    expect(res.body.contact).toBeUndefined();
    expect(res.headers.get('etag')).toBe('"2"');
    expect((await api('GET', `/v1/patients/${patient.id}`)).body).toEqual(res.body);
  });

  it('412 on a stale ETag and 428 without one, changing nothing', async () => {
    const patient = await created();
    const ok = await api('PATCH', `/v1/patients/${patient.id}`, {
      body: { gender: 'other' },
      headers: { 'If-Match': '"1"' },
    });
    expect(ok.status).toBe(200);
    const stale = await api('PATCH', `/v1/patients/${patient.id}`, {
      body: { gender: 'male' },
      headers: { 'If-Match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    const missing = await api('PATCH', `/v1/patients/${patient.id}`, { body: { gender: 'male' } });
    expect(missing.status).toBe(428);
    expect(fieldsOf(missing.body)).toEqual(['headers.if-match']);
    const now = await api('GET', `/v1/patients/${patient.id}`);
    expect(now.body.gender).toBe('other');
    expect(now.body.version).toBe(2);
  });

  it('moving a patient to a new MRN frees the old one', async () => {
    const patient = await created();
    const newMrn = `N-${Date.now().toString(36).toUpperCase()}`;
    const res = await api('PATCH', `/v1/patients/${patient.id}`, {
      body: { mrn: newMrn },
      headers: { 'If-Match': '"1"' },
    });
    expect(res.status).toBe(200);
    const reuse = await api('POST', '/v1/patients', { body: newPatientBody({ mrn: patient.mrn }) });
    expect(reuse.status).toBe(201);
    const byMrn = await api('GET', `/v1/patients?mrn=${newMrn}`);
    expect(byMrn.body.items.map((p: any) => p.id)).toEqual([patient.id]);
  });

  it('404 for an unknown patient', async () => {
    const res = await api('PATCH', '/v1/patients/01KAXZZZZZZZZZZZZZZZZZZZZZ', {
      body: { gender: 'male' },
      headers: { 'If-Match': '"1"' },
    });
    expect(res.status).toBe(404);
  });
});

describe('search', () => {
  it('matches a family-name prefix ignoring case and accents, filters by given name and birth date', async () => {
    const stem = newPatientBody().name.family;
    const a = await api('POST', '/v1/patients', {
      body: newPatientBody({ name: { given: ['Zoë'], family: `${stem}García` }, birthDate: '1990-01-01' }),
    });
    const b = await api('POST', '/v1/patients', {
      body: newPatientBody({
        name: { given: ['Ana'], family: `${stem}Garcia-López` },
        birthDate: '1991-02-02',
      }),
    });
    await api('POST', '/v1/patients', {
      body: newPatientBody({ name: { given: ['Ana'], family: `${stem}Hernández` } }),
    });
    const both = await searchFamily(`${stem.toUpperCase()}GARCÍA`);
    expect(both.status).toBe(200);
    expect(both.body.items.map((p: any) => p.id).sort()).toEqual([a.body.id, b.body.id].sort());
    const zoe = await api('GET', `/v1/patients?family=${stem}garcia&given=zoe`);
    expect(zoe.body.items.map((p: any) => p.id)).toEqual([a.body.id]);
    const byDate = await api('GET', `/v1/patients?family=${stem}&birthDate=1991-02-02`);
    expect(byDate.body.items.map((p: any) => p.id)).toEqual([b.body.id]);
  });

  it('finds by exact MRN', async () => {
    const a = await api('POST', '/v1/patients', { body: newPatientBody() });
    const res = await api('GET', `/v1/patients?mrn=${a.body.mrn.toLowerCase()}`);
    expect(res.body.items.map((p: any) => p.id)).toEqual([a.body.id]);
  });

  it('pages with an opaque cursor, in name order, without repeats', async () => {
    const stem = newPatientBody().name.family;
    const ids: string[] = [];
    for (const given of ['A', 'B', 'C', 'D', 'E']) {
      const res = await api('POST', '/v1/patients', {
        body: newPatientBody({ name: { given: [given], family: stem } }),
      });
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await api('GET', `/v1/patients?family=${stem}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((p: any) => p.id));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBeGreaterThanOrEqual(3);
  });

  it('rejects limit over 100, a tampered cursor and unknown parameters, naming them', async () => {
    const limit = await api('GET', '/v1/patients?limit=101');
    expect(limit.status).toBe(400);
    expect(fieldsOf(limit.body)).toEqual(['query.limit']);
    const first = await api('GET', '/v1/patients?limit=1');
    expect(first.body.nextCursor).toBeTruthy();
    const tampered = `${first.body.nextCursor.slice(0, -2)}AA`;
    const bad = await api('GET', `/v1/patients?limit=1&cursor=${tampered}`);
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['query.cursor']);
    const otherQuery = await api('GET', `/v1/patients?limit=2&cursor=${first.body.nextCursor}`);
    expect(otherQuery.status).toBe(400);
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
      expect((await searchFamily(body.name.family)).body.items).toHaveLength(0);
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
    const res = await api('POST', '/v1/patients', { body: huge });
    expect(res.status).toBe(413);
    expect(fieldsOf(res.body)).toEqual(['body']);
    expect((await searchFamily(body.name.family)).body.items).toHaveLength(0);
  });

  it('a non-JSON content type → 415', async () => {
    const res = await api('POST', '/v1/patients', {
      rawBody: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });

  it('a malformed patient id in the path → 400 naming it', async () => {
    const res = await api('GET', '/v1/patients/not-an-id');
    expect(res.status).toBe(400);
    expect(fieldsOf(res.body)).toEqual(['params.patientId']);
  });
});

describe('no PHI in logs', () => {
  it('names, birth dates, e-mails and phones never reach the log', async () => {
    const body = newPatientBody({
      birthDate: '1933-03-13',
      contact: { email: 'phi-canary@example.org', phone: '+1 555 0142' },
    });
    const created = await api('POST', '/v1/patients', { body });
    await api('GET', `/v1/patients/${created.body.id}`);
    await api('GET', `/v1/patients?family=${body.name.family}`);
    await api('POST', '/v1/patients', { body: { ...body, gender: 'nonsense' } });
    await new Promise((r) => setTimeout(r, 200));
    const log = readFileSync(inject('runtimeLogFile'), 'utf8');
    expect(log).toContain('"operation":"createPatient"');
    for (const phi of [body.name.family, '1933-03-13', 'phi-canary', '555 0142'])
      expect(log).not.toContain(phi);
  });
});
