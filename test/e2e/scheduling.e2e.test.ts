// Scheduling through the API: set up, find time, book, and run the day — and never double-book. Calls go through
// the typed client (shared/client/); raw `api()` remains for requests the contract forbids and for the
// appointment's life-cycle actions, whose tests send stale, absent and repeated If-Match on purpose.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENT_ID } from '../../infra/local/seed.ts';
import type { RequestBody } from '../../shared/client/index.ts';
import { api, client, expectData, ifMatch } from '../support/api.ts';
import { newPatientId, nextWeekday, type Practice, setUpPractice } from '../support/scheduling.ts';

const fields = (body: any) => (body.errors ?? []).map((e: { field: string }) => e.field);

let practice: Practice;
let monday: string;
beforeAll(async () => {
  practice = await setUpPractice();
  monday = nextWeekday(1);
});

function slotsOn(date: string, p = practice, user = 'front-desk') {
  return client(user).GET('/v1/availability', {
    params: { query: { providerId: p.providerId, appointmentTypeId: p.typeId, from: date, to: date } },
  });
}

/** The free slots on `date`, after checking the answer was 200. */
async function freeSlots(date: string, p = practice, user = 'front-desk') {
  return expectData(await slotsOn(date, p, user), 200).slots;
}

const book = (body: RequestBody<'bookAppointment'>, user = 'admin') =>
  client(user).POST('/v1/appointments', { body });
const providerDay = (providerId: string, date: string, user = 'admin') =>
  client(user).GET('/v1/providers/{providerId}/appointments', {
    params: { path: { providerId }, query: { from: date, to: date } },
  });
const locationDay = (locationId: string, date: string) =>
  client('admin').GET('/v1/locations/{locationId}/appointments', {
    params: { path: { locationId }, query: { date } },
  });
const patientAppointments = (patientId: string) =>
  client('admin').GET('/v1/patients/{patientId}/appointments', { params: { path: { patientId } } });
const readAppointment = (appointmentId: string, user = 'admin') =>
  client(user).GET('/v1/appointments/{appointmentId}', { params: { path: { appointmentId } } });

describe('availability', () => {
  it('offers the type’s grid inside working hours, in the location’s time zone', async () => {
    const slots = await freeSlots(monday);
    // 08:00–12:00 and 13:00–17:00 New York time, 30-minute visits: 16 slots.
    expect(slots).toHaveLength(16);
    const first = new Date(slots[0]?.start ?? '');
    const local = first.toLocaleString('en-US', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    expect(local).toBe('08:00');
    expect(slots[0]).toMatchObject({
      providerId: practice.providerId,
      locationId: practice.locationId,
    });
  });

  it('rejects a range over 31 days, an end before the start, and unknown ids, naming the field', async () => {
    const availability = (query: { providerId?: string; from: string; to: string }) =>
      client('admin').GET('/v1/availability', {
        params: { query: { providerId: practice.providerId, appointmentTypeId: practice.typeId, ...query } },
      });
    const long = await availability({ from: '2027-01-01', to: '2027-02-01' });
    expect(long.response.status).toBe(400);
    expect(fields(long.error)).toEqual(['query.to']);
    const backwards = await availability({ from: '2027-01-05', to: '2027-01-01' });
    expect(backwards.response.status).toBe(400);
    const unknown = await availability({
      providerId: '01KAXZZZZZZZZZZZZZZZZZZZZZ',
      from: monday,
      to: monday,
    });
    expect(unknown.response.status).toBe(422);
    expect(fields(unknown.error)).toEqual(['query.providerId']);
  });
});

describe('booking', () => {
  it('books, shows the appointment in every view, and takes the time off availability', async () => {
    const patientId = await newPatientId();
    const before = await freeSlots(monday);
    const slot = before[2];
    if (!slot) throw new Error('no third slot');
    const result = await client('admin').POST('/v1/appointments', {
      body: {
        patientId,
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start: slot.start,
        reason: 'Cough',
      },
      params: { header: { 'Idempotency-Key': `book-${crypto.randomUUID()}` } },
    });
    const booked = expectData(result, 201);
    expect(booked).toMatchObject({
      status: 'booked',
      patientId,
      start: slot.start,
      end: slot.end,
      locationId: practice.locationId,
    });
    const after = await freeSlots(monday);
    expect(after.map((s) => s.start)).not.toContain(slot.start);
    expect(after).toHaveLength(before.length - 1);

    const day = await providerDay(practice.providerId, monday, 'nurse');
    expect(day.data?.items.map((a) => a.id)).toEqual([booked.id]);
    const desk = await locationDay(practice.locationId, monday);
    expect(desk.data?.items.map((a) => a.id)).toEqual([booked.id]);
    const mine = await patientAppointments(patientId);
    expect(mine.data?.upcoming.map((a) => a.id)).toEqual([booked.id]);
    expect((await readAppointment(booked.id, 'clinician')).data).toEqual(booked);
  });

  it('50 concurrent bookings of the same slot: exactly one 201, 49 × 409, one appointment stored', async () => {
    const p = await setUpPractice();
    const patients = await Promise.all(Array.from({ length: 50 }, () => newPatientId()));
    const start = (await freeSlots(monday, p))[0]?.start ?? '';
    const results = await Promise.all(
      patients.map((patientId) =>
        book({ patientId, providerId: p.providerId, appointmentTypeId: p.typeId, start }),
      ),
    );
    const statuses = results.map((r) => r.response.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const stored = await locationDay(p.locationId, monday);
    expect(stored.data?.items).toHaveLength(1);
    const day = await providerDay(p.providerId, monday);
    expect(day.data?.items).toHaveLength(1);
  }, 60_000);

  it('refuses overlaps (409) and times outside hours, off the grid or in the past (422), writing nothing', async () => {
    const patientId = await newPatientId();
    const slots = await freeSlots(monday);
    const fifth = slots[5]?.start ?? '';
    const ok = await book({
      patientId,
      providerId: practice.providerId,
      appointmentTypeId: practice.typeId,
      start: fifth,
    });
    expect(ok.response.status).toBe(201);
    const other = await newPatientId();
    const bookOther = (start: string, who = other) =>
      book({ patientId: who, providerId: practice.providerId, appointmentTypeId: practice.typeId, start });
    const taken = await bookOther(fifth);
    expect(taken.response.status).toBe(409);
    // The same patient elsewhere at that time is a clash for the patient.
    const p2 = await setUpPractice();
    const clash = await book({
      patientId,
      providerId: p2.providerId,
      appointmentTypeId: p2.typeId,
      start: fifth,
    });
    expect(clash.response.status).toBe(409);
    expect(fields(clash.error)).toEqual(['body.patientId']);
    const offGrid = await bookOther(new Date(Date.parse(slots[6]?.start ?? '') + 10 * 60_000).toISOString());
    expect(offGrid.response.status).toBe(422);
    expect(fields(offGrid.error)).toEqual(['body.start']);
    const night = await bookOther(`${monday}T06:00:00.000Z`);
    expect(night.response.status).toBe(422);
    const past = await bookOther('2020-01-06T14:00:00.000Z');
    expect(past.response.status).toBe(422);
    const mine = await patientAppointments(other);
    expect(mine.data?.upcoming).toHaveLength(0);
  });
});

describe('holds', () => {
  it('a live hold blocks everyone but its holder, who books it', async () => {
    const p = await setUpPractice();
    const slot = (await freeSlots(monday, p))[3];
    if (!slot) throw new Error('no fourth slot');
    const hold = await client('patient').POST('/v1/appointment-holds', {
      body: {
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start: slot.start,
        patientId: DEMO_PATIENT_ID,
      },
    });
    const held = expectData(hold, 201);
    expect(Date.parse(held.expiresAt)).toBeGreaterThan(Date.now());
    const desk = await book(
      {
        patientId: await newPatientId(),
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start: slot.start,
      },
      'front-desk',
    );
    expect(desk.response.status).toBe(409);
    expect((await freeSlots(monday, p, 'front-desk')).map((s) => s.start)).not.toContain(slot.start);
    // The holder still sees its held time as available, and books it.
    expect((await freeSlots(monday, p, 'patient')).map((s) => s.start)).toContain(slot.start);
    const mine = await book(
      {
        patientId: DEMO_PATIENT_ID,
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start: slot.start,
        holdId: held.holdId,
      },
      'patient',
    );
    const appointment = expectData(mine, 201);
    const cancel = await api('POST', `/v1/appointments/${appointment.id}/cancel`, {
      user: 'patient',
      body: { reason: 'Cannot come' },
      headers: ifMatch(1),
    });
    expect(cancel.status).toBe(200);
  });
});

describe('the appointment’s day', () => {
  it('check-in, complete; nonsense transitions are 409; reschedule frees the old time', async () => {
    const p = await setUpPractice();
    const patientId = await newPatientId();
    const slots = await freeSlots(monday, p);
    const [first, fifth] = [slots[0]?.start ?? '', slots[4]?.start ?? ''];
    const booked = expectData(
      await book({ patientId, providerId: p.providerId, appointmentTypeId: p.typeId, start: first }),
      201,
    );
    const moved = await api('POST', `/v1/appointments/${booked.id}/reschedule`, {
      body: { start: fifth },
      headers: ifMatch(1),
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: fifth, version: 2 });
    const free = (await freeSlots(monday, p)).map((s) => s.start);
    expect(free).toContain(first);
    expect(free).not.toContain(fifth);

    const checkIn = await api('POST', `/v1/appointments/${booked.id}/check-in`, {
      user: 'nurse',
      body: {},
      headers: ifMatch(2),
    });
    expect(checkIn.status).toBe(200);
    expect(checkIn.body.status).toBe('arrived');
    // Check-in opened the visit's encounter, linked to the appointment, in the same transaction.
    const encounter = await client('clinician').GET('/v1/patients/{patientId}/encounters/{encounterId}', {
      params: { path: { patientId, encounterId: checkIn.body.encounterId } },
    });
    expect(encounter.response.status).toBe(200);
    expect(encounter.data).toMatchObject({
      status: 'in-progress',
      appointmentId: booked.id,
      provider: { id: p.providerId, name: 'Dr. Anika Rao' },
      location: { id: p.locationId },
    });
    // Nonsense transitions are 409s that say so in plain words.
    const again = await api('POST', `/v1/appointments/${booked.id}/check-in`, {
      user: 'nurse',
      body: {},
      headers: ifMatch(3),
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('The appointment is already checked in');
    const cancel = await api('POST', `/v1/appointments/${booked.id}/cancel`, {
      body: { reason: 'x' },
      headers: ifMatch(3),
    });
    expect(cancel.status).toBe(409);
    expect(cancel.body.detail).toBe('A checked-in appointment cannot be cancelled');
    const done = await api('POST', `/v1/appointments/${booked.id}/complete`, {
      user: 'clinician',
      body: {},
      headers: ifMatch(3),
    });
    expect(done.body.status).toBe('fulfilled');
    const day = await providerDay(p.providerId, monday);
    expect(day.data?.items.map((a) => a.status)).toEqual(['fulfilled']);
  });

  it('roles: billing sees nothing, a nurse cannot book, a patient cannot touch another patient’s appointment', async () => {
    const p = await setUpPractice();
    const patientId = await newPatientId();
    const start = (await freeSlots(monday, p))[1]?.start ?? '';
    const body = { patientId, providerId: p.providerId, appointmentTypeId: p.typeId, start };
    expect((await book(body, 'nurse')).response.status).toBe(403);
    expect((await book(body, 'patient')).response.status).toBe(404);
    const booked = expectData(await book(body), 201);
    expect((await readAppointment(booked.id, 'billing')).response.status).toBe(403);
    expect((await readAppointment(booked.id, 'patient')).response.status).toBe(404);
    expect(
      (
        await api('POST', `/v1/appointments/${booked.id}/cancel`, {
          user: 'patient',
          body: { reason: 'x' },
          headers: ifMatch(1),
        })
      ).status,
    ).toBe(404);
  });
});

describe('If-Match on every change to an appointment', () => {
  const bookOne = async (p: Practice, slot: number) => {
    const start = (await freeSlots(monday, p))[slot]?.start ?? '';
    return expectData(
      await book({
        patientId: await newPatientId(),
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start,
      }),
      201,
    );
  };
  const actions: [string, (p: Practice) => Promise<unknown>, number][] = [
    ['reschedule', async (p) => ({ start: (await freeSlots(monday, p))[10]?.start }), 1],
    ['cancel', async () => ({ reason: 'Patient request' }), 1],
    ['check-in', async () => ({}), 1],
    ['no-show', async () => ({}), 1],
    // Completing needs a checked-in appointment (version 2).
    ['complete', async () => ({}), 2],
  ];

  it.each(actions)(
    '%s: absent → 428, stale → 412 (nothing changes), fresh → 200',
    async (name, bodyOf, version) => {
      const p = await setUpPractice();
      const appointment = await bookOne(p, 2);
      if (version === 2) {
        const checkIn = await api('POST', `/v1/appointments/${appointment.id}/check-in`, {
          body: {},
          headers: ifMatch(1),
        });
        expect(checkIn.status).toBe(200);
      }
      const path = `/v1/appointments/${appointment.id}/${name}`;
      const body = await bodyOf(p);

      const absent = await api('POST', path, { body });
      expect(absent.status).toBe(428);
      expect(fields(absent.body)).toEqual(['headers.if-match']);

      const stale = await api('POST', path, { body, headers: ifMatch(version + 5) });
      expect(stale.status).toBe(412);
      expect(stale.headers.get('etag')).toBe(`"${version}"`);
      const unchanged = await api('GET', `/v1/appointments/${appointment.id}`);
      expect(unchanged.body.version).toBe(version);

      const key = crypto.randomUUID();
      const fresh = await api('POST', path, {
        body,
        headers: { ...ifMatch(version), 'Idempotency-Key': key },
      });
      expect(fresh.status).toBe(200);
      expect(fresh.body.version).toBe(version + 1);
      expect(fresh.headers.get('etag')).toBe(`"${version + 1}"`);

      // The retry of a change that went through (same key, same If-Match) gets the first answer, not a 412.
      const retry = await api('POST', path, {
        body,
        headers: { ...ifMatch(version), 'Idempotency-Key': key },
      });
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(fresh.body);
    },
  );

  it('wording: a repeated or impossible change says what is wrong in plain words', async () => {
    const p = await setUpPractice();
    const appointment = await bookOne(p, 3);
    const noShow = await api('POST', `/v1/appointments/${appointment.id}/no-show`, {
      body: {},
      headers: ifMatch(1),
    });
    expect(noShow.status).toBe(200);
    const again = await api('POST', `/v1/appointments/${appointment.id}/no-show`, {
      body: {},
      headers: ifMatch(2),
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('The appointment is already marked as a no-show');
    const checkIn = await api('POST', `/v1/appointments/${appointment.id}/check-in`, {
      body: {},
      headers: ifMatch(2),
    });
    expect(checkIn.body.detail).toBe('A no-show appointment cannot be checked in');
    const complete = await api('POST', `/v1/appointments/${appointment.id}/complete`, {
      body: {},
      headers: ifMatch(2),
    });
    expect(complete.body.detail).toBe('A no-show appointment cannot be completed');
  });

  it('a schedule exception honours If-Match when sent (412 when stale) and works without it', async () => {
    const p = await setUpPractice();
    const path = `/v1/providers/${p.providerId}/schedule/exceptions`;
    const stale = await api('POST', path, {
      body: { date: monday, kind: 'time-off', reason: 'Course' },
      headers: ifMatch(1),
    });
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe('"2"');
    const fresh = await api('POST', path, {
      body: { date: monday, kind: 'time-off', reason: 'Course' },
      headers: ifMatch(2),
    });
    expect(fresh.status).toBe(201);
    expect(fresh.body.version).toBe(3);
    const without = await api('POST', path, { body: { date: nextWeekday(2), kind: 'time-off' } });
    expect(without.status).toBe(201);
    expect(without.body.version).toBe(4);
    expect(without.body.exceptions).toHaveLength(2);
  });
});

describe('set-up validation', () => {
  it('bad NPI, bad time zone, end before start and unknown fields are 400s naming the field, nothing written', async () => {
    const admin = client('admin');
    const family = `Invalid${Math.random().toString(36).slice(2, 8)}`;
    const npi = await admin.POST('/v1/providers', {
      body: {
        name: { given: ['A'], family },
        npi: '1234567890',
        specialty: 'x',
        locationIds: [practice.locationId],
      },
    });
    expect(npi.response.status).toBe(400);
    expect(fields(npi.error)).toEqual(['body.npi']);
    const zone = await admin.POST('/v1/locations', {
      body: { name: 'Nowhere', address: { line: ['x'], city: 'y' }, timeZone: 'Mars/Olympus' },
    });
    expect(zone.response.status).toBe(400);
    expect(fields(zone.error)).toEqual(['body.timeZone']);
    const backwards = await admin.PUT('/v1/providers/{providerId}/schedule', {
      params: { path: { providerId: practice.providerId }, header: { 'If-Match': '"2"' } },
      body: { locationId: practice.locationId, weekly: [{ day: 'mon', start: '12:00', end: '08:00' }] },
    });
    expect(backwards.response.status).toBe(400);
    expect(fields(backwards.error)).toEqual(['body.weekly.0.end']);
    const unknownLocation = await admin.POST('/v1/providers', {
      body: {
        name: { given: ['A'], family },
        npi: '1234567893',
        specialty: 'x',
        locationIds: ['01KAXZZZZZZZZZZZZZZZZZZZZZ'],
      },
    });
    expect(unknownLocation.response.status).toBe(422);
    expect(fields(unknownLocation.error)).toEqual(['body.locationIds.0']);
    const extra = await admin.POST('/v1/appointment-types', { body: { name: 'X', durationMinutes: 7 } });
    expect(extra.response.status).toBe(400);
    expect(fields(extra.error)).toEqual(['body.durationMinutes']);
    // Nothing was written: no provider with this name exists (walk every page of the list).
    const names: string[] = [];
    let cursor = '';
    do {
      const page = expectData(
        await admin.GET('/v1/providers', {
          params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
        }),
        200,
      );
      names.push(...page.items.map((p) => p.name.family));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain(family);
    const schedule = await admin.GET('/v1/providers/{providerId}/schedule', {
      params: { path: { providerId: practice.providerId } },
    });
    expect(schedule.data?.version).toBe(2);
  });
});
