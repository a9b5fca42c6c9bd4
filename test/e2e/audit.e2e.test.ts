// The audit trail through the API: denials, failures and idempotent replays are filed under the patient they
// touched, however the request named that patient (path, appointment id, body, query).
import { beforeAll, describe, expect, it } from 'vitest';
import { api, newPatientBody } from '../support/api.ts';
import { newPatientId, nextWeekday, type Practice, setUpPractice } from '../support/scheduling.ts';
import { idClaims, signWithPoolKey } from '../support/tokens.ts';

interface AuditRecord {
  action: string;
  outcome: 'success' | 'denied' | 'failure';
  patientId?: string;
  requestId: string;
  replayed?: boolean;
  actor: { roles: string[] };
}

/** Every audit record of `patientId` (all pages). */
async function auditOf(patientId: string): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  let cursor: string | undefined;
  do {
    const res = await api(
      'GET',
      `/v1/audit?patientId=${patientId}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { user: 'admin' },
    );
    expect(res.status).toBe(200);
    records.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return records;
}

/** What the audit log says about one request: `action:outcome` per record (`+replay` for replays). */
async function filed(patientId: string, requestId: string | null): Promise<string[]> {
  expect(requestId).toBeTruthy();
  return (await auditOf(patientId))
    .filter((r) => r.requestId === requestId)
    .map((r) => `${r.action}:${r.outcome}${r.replayed ? '+replay' : ''}`);
}

const requestIdOf = (res: { headers: Headers }) => res.headers.get('x-amzn-requestid');

/** A patient user's token linked to `patientId` (real pool key, as the local Cognito would issue it). */
function patientToken(patientId: string) {
  return signWithPoolKey({ ...idClaims('patient'), 'custom:patientId': patientId });
}

let practice: Practice;
let slots: string[];
let nextSlot = 0;
beforeAll(async () => {
  practice = await setUpPractice();
  const day = nextWeekday(3, 9);
  const res = await api(
    'GET',
    `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=${day}&to=${day}`,
    { user: 'front-desk' },
  );
  slots = res.body.slots.map((s: { start: string }) => s.start);
});

function bookingBody(patientId: string, start = slots[nextSlot++] as string) {
  return { patientId, providerId: practice.providerId, appointmentTypeId: practice.typeId, start };
}

async function book(patientId: string) {
  const res = await api('POST', '/v1/appointments', { user: 'front-desk', body: bookingBody(patientId) });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('denials are filed under the patient, however the request named them', () => {
  it('through an appointment id: a patient user reaching another patient’s appointment', async () => {
    const [mine, theirs] = [await newPatientId(), await newPatientId()];
    const appointmentId = await book(theirs);
    const res = await api('GET', `/v1/appointments/${appointmentId}`, { token: await patientToken(mine) });
    expect(res.status).toBe(404);
    expect(await filed(theirs, requestIdOf(res))).toEqual(['appointment.read:denied']);
    const cancel = await api('POST', `/v1/appointments/${appointmentId}/cancel`, {
      token: await patientToken(mine),
      headers: { 'If-Match': '"1"' },
      body: { reason: 'not mine' },
    });
    expect(cancel.status).toBe(404);
    expect(await filed(theirs, requestIdOf(cancel))).toEqual(['appointment.cancel:denied']);
  });

  it('through a body patientId: a patient user booking for someone else, a nurse booking at all', async () => {
    const [mine, theirs] = [await newPatientId(), await newPatientId()];
    const asPatient = await api('POST', '/v1/appointments', {
      token: await patientToken(mine),
      body: bookingBody(theirs),
    });
    expect(asPatient.status).toBe(404);
    expect(await filed(theirs, requestIdOf(asPatient))).toEqual(['appointment.create:denied']);
    const asNurse = await api('POST', '/v1/appointments', { user: 'nurse', body: bookingBody(theirs) });
    expect(asNurse.status).toBe(403);
    expect(await filed(theirs, requestIdOf(asNurse))).toEqual(['appointment.create:denied']);
  });

  it('through a query patientId: staff without the role asking for a patient’s audit log', async () => {
    const patientId = await newPatientId();
    const res = await api('GET', `/v1/audit?patientId=${patientId}`, { user: 'clinician' });
    expect(res.status).toBe(403);
    expect(await filed(patientId, requestIdOf(res))).toEqual(['audit.read:denied']);
  });
});

describe('failures are filed as failure under the patient', () => {
  it('412 on a stale update, 409 cancelling a cancelled appointment, 422 booking off the grid', async () => {
    const patientId = await newPatientId();
    const stale = await api('PATCH', `/v1/patients/${patientId}`, {
      user: 'front-desk',
      headers: { 'If-Match': '"7"' },
      body: { preferredLanguage: 'en' },
    });
    expect(stale.status).toBe(412);
    expect(await filed(patientId, requestIdOf(stale))).toEqual(['patient.update:failure']);

    const appointmentId = await book(patientId);
    // A freshly booked appointment is version 1; the cancel makes it 2, so the second names the current version.
    const cancel = (key: string, version: number) =>
      api('POST', `/v1/appointments/${appointmentId}/cancel`, {
        user: 'front-desk',
        headers: { 'Idempotency-Key': key, 'If-Match': `"${version}"` },
        body: { reason: 'patient called' },
      });
    expect((await cancel('cancel-first-0001', 1)).status).toBe(200);
    const again = await cancel('cancel-second-0002', 2);
    expect(again.status).toBe(409);
    expect(await filed(patientId, requestIdOf(again))).toEqual(['appointment.cancel:failure']);

    const offGrid = new Date(Date.parse(slots[0] as string) + 7 * 60_000).toISOString();
    const rejected = await api('POST', '/v1/appointments', {
      user: 'front-desk',
      body: bookingBody(patientId, offGrid),
    });
    expect(rejected.status).toBe(422);
    expect(await filed(patientId, requestIdOf(rejected))).toEqual(['appointment.create:failure']);
  });

  it('bad input that never reached the data is not filed (400 before the use case)', async () => {
    const patientId = await newPatientId();
    const res = await api('PATCH', `/v1/patients/${patientId}`, {
      user: 'front-desk',
      headers: { 'If-Match': '"1"' },
      body: { birthDate: '1990-02-30' },
    });
    expect(res.status).toBe(400);
    expect(await filed(patientId, requestIdOf(res))).toEqual([]);
  });
});

describe('idempotent replays are audited as replays, and answer the stored response', () => {
  it('a replayed registration discloses the record again: filed as a replay of patient.create', async () => {
    const body = newPatientBody();
    const key = `audit-replay-${Date.now()}`;
    const first = await api('POST', '/v1/patients', {
      user: 'front-desk',
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(first.status).toBe(201);
    const again = await api('POST', '/v1/patients', {
      user: 'front-desk',
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);
    expect(await filed(first.body.id, requestIdOf(again))).toEqual(['patient.create:success+replay']);
  });

  it('a retried booking and a retried cancel return what the first attempt answered', async () => {
    const patientId = await newPatientId();
    const body = bookingBody(patientId);
    const key = `audit-book-${Date.now()}`;
    const send = () =>
      api('POST', '/v1/appointments', { user: 'front-desk', body, headers: { 'Idempotency-Key': key } });
    const first = await send();
    expect(first.status).toBe(201);
    const again = await send();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await filed(patientId, requestIdOf(again))).toEqual(['appointment.create:success+replay']);

    const cancel = () =>
      api('POST', `/v1/appointments/${first.body.id}/cancel`, {
        user: 'front-desk',
        body: { reason: 'patient called' },
        headers: { 'Idempotency-Key': `${key}-cancel`, 'If-Match': '"1"' },
      });
    const cancelled = await cancel();
    expect(cancelled.status).toBe(200);
    const cancelledAgain = await cancel();
    expect(cancelledAgain.status).toBe(200);
    expect(cancelledAgain.body).toEqual(cancelled.body);
    expect(await filed(patientId, requestIdOf(cancelledAgain))).toEqual([
      'appointment.cancel:success+replay',
    ]);
  });

  it('the same key with another body is 422 and filed as a failure', async () => {
    const patientId = await newPatientId();
    const key = `audit-note-${Date.now()}`;
    const post = (plan: string) =>
      api('POST', `/v1/patients/${patientId}/problems`, {
        user: 'clinician',
        headers: { 'Idempotency-Key': key },
        body: { code: 'E11.9', display: plan },
      });
    expect((await post('Type 2 diabetes mellitus')).status).toBe(201);
    const other = await post('Something else');
    expect(other.status).toBe(422);
    expect(await filed(patientId, requestIdOf(other))).toEqual(['problem.create:failure']);
  });
});

describe('nothing a client sent in error is echoed back', () => {
  it('a patient’s name used as a path id appears neither in the instance nor in the detail', async () => {
    const name = 'Maria Garcia 1984-07-02';
    const res = await api('GET', `/v1/patients/${encodeURIComponent(name)}`, { user: 'front-desk' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['params.patientId']);
    const text = JSON.stringify(res.body);
    for (const part of ['Maria', 'Garcia', '1984']) expect(text).not.toContain(part);
    expect(res.body.instance).toBe('/v1/patients/{patientId}');
  });

  it('a query value that fails validation is not echoed either', async () => {
    const res = await api('GET', '/v1/patients?family=Garcia&birthDate=1984-13-45', { user: 'front-desk' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('1984');
    expect(JSON.stringify(res.body)).not.toContain('Garcia');
  });

  it('integers in the query are decimal digits only: 0x10, 1e2, " 10", "+10" and 10.0 are 400 naming limit', async () => {
    for (const limit of ['0x10', '1e2', ' 10', '+10', '10.0', '']) {
      const res = await api('GET', `/v1/patients?family=Garcia&limit=${encodeURIComponent(limit)}`, {
        user: 'front-desk',
      });
      expect(res.status, limit).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['query.limit']);
    }
    expect((await api('GET', '/v1/patients?family=Garcia&limit=10', { user: 'front-desk' })).status).toBe(
      200,
    );
  });
});
