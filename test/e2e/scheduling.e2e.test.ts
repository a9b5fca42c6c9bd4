// Scheduling through the API: set up, find time, book, and run the day — and never double-book.
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENT_ID } from '../../infra/local/seed.ts';
import { api } from '../support/api.ts';
import { newPatientId, nextWeekday, type Practice, setUpPractice } from '../support/scheduling.ts';

const fields = (body: any) => (body.errors ?? []).map((e: { field: string }) => e.field);

let practice: Practice;
let monday: string;
beforeAll(async () => {
  practice = await setUpPractice();
  monday = nextWeekday(1);
});

function slotsOn(date: string, p = practice, user = 'front-desk') {
  return api(
    'GET',
    `/v1/availability?providerId=${p.providerId}&appointmentTypeId=${p.typeId}&from=${date}&to=${date}`,
    { user },
  );
}

describe('availability', () => {
  it('offers the type’s grid inside working hours, in the location’s time zone', async () => {
    const res = await slotsOn(monday);
    expect(res.status).toBe(200);
    // 08:00–12:00 and 13:00–17:00 New York time, 30-minute visits: 16 slots.
    expect(res.body.slots).toHaveLength(16);
    const first = new Date(res.body.slots[0].start);
    const local = first.toLocaleString('en-US', {
      timeZone: 'America/New_York',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    expect(local).toBe('08:00');
    expect(res.body.slots[0]).toMatchObject({
      providerId: practice.providerId,
      locationId: practice.locationId,
    });
  });

  it('rejects a range over 31 days, an end before the start, and unknown ids, naming the field', async () => {
    const long = await api(
      'GET',
      `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=2027-01-01&to=2027-02-01`,
    );
    expect(long.status).toBe(400);
    expect(fields(long.body)).toEqual(['query.to']);
    const backwards = await api(
      'GET',
      `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=2027-01-05&to=2027-01-01`,
    );
    expect(backwards.status).toBe(400);
    const unknown = await api(
      'GET',
      `/v1/availability?providerId=01KAXZZZZZZZZZZZZZZZZZZZZZ&appointmentTypeId=${practice.typeId}&from=${monday}&to=${monday}`,
    );
    expect(unknown.status).toBe(422);
    expect(fields(unknown.body)).toEqual(['query.providerId']);
  });
});

describe('booking', () => {
  it('books, shows the appointment in every view, and takes the time off availability', async () => {
    const patientId = await newPatientId();
    const before = await slotsOn(monday);
    const slot = before.body.slots[2];
    const booked = await api('POST', '/v1/appointments', {
      body: {
        patientId,
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start: slot.start,
        reason: 'Cough',
      },
      headers: { 'Idempotency-Key': `book-${crypto.randomUUID()}` },
    });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({
      status: 'booked',
      patientId,
      start: slot.start,
      end: slot.end,
      locationId: practice.locationId,
    });
    const after = await slotsOn(monday);
    expect(after.body.slots.map((s: any) => s.start)).not.toContain(slot.start);
    expect(after.body.slots).toHaveLength(before.body.slots.length - 1);

    const day = await api(
      'GET',
      `/v1/providers/${practice.providerId}/appointments?from=${monday}&to=${monday}`,
      { user: 'nurse' },
    );
    expect(day.body.items.map((a: any) => a.id)).toEqual([booked.body.id]);
    const desk = await api('GET', `/v1/locations/${practice.locationId}/appointments?date=${monday}`);
    expect(desk.body.items.map((a: any) => a.id)).toEqual([booked.body.id]);
    const mine = await api('GET', `/v1/patients/${patientId}/appointments`);
    expect(mine.body.upcoming.map((a: any) => a.id)).toEqual([booked.body.id]);
    expect((await api('GET', `/v1/appointments/${booked.body.id}`, { user: 'clinician' })).body).toEqual(
      booked.body,
    );
  });

  it('50 concurrent bookings of the same slot: exactly one 201, 49 × 409, one appointment stored', async () => {
    const p = await setUpPractice();
    const patients = await Promise.all(Array.from({ length: 50 }, () => newPatientId()));
    const slot = (await slotsOn(monday, p)).body.slots[0];
    const results = await Promise.all(
      patients.map((patientId) =>
        api('POST', '/v1/appointments', {
          body: { patientId, providerId: p.providerId, appointmentTypeId: p.typeId, start: slot.start },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const stored = await api('GET', `/v1/locations/${p.locationId}/appointments?date=${monday}`);
    expect(stored.body.items).toHaveLength(1);
    const day = await api('GET', `/v1/providers/${p.providerId}/appointments?from=${monday}&to=${monday}`);
    expect(day.body.items).toHaveLength(1);
  }, 60_000);

  it('refuses overlaps (409) and times outside hours, off the grid or in the past (422), writing nothing', async () => {
    const patientId = await newPatientId();
    const slots = (await slotsOn(monday)).body.slots;
    const ok = await api('POST', '/v1/appointments', {
      body: {
        patientId,
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start: slots[5].start,
      },
    });
    expect(ok.status).toBe(201);
    const other = await newPatientId();
    const book = (start: string, who = other) =>
      api('POST', '/v1/appointments', {
        body: { patientId: who, providerId: practice.providerId, appointmentTypeId: practice.typeId, start },
      });
    const taken = await book(slots[5].start);
    expect(taken.status).toBe(409);
    // The same patient elsewhere at that time is a clash for the patient.
    const p2 = await setUpPractice();
    const clash = await api('POST', '/v1/appointments', {
      body: { patientId, providerId: p2.providerId, appointmentTypeId: p2.typeId, start: slots[5].start },
    });
    expect(clash.status).toBe(409);
    expect(fields(clash.body)).toEqual(['body.patientId']);
    const offGrid = await book(new Date(Date.parse(slots[6].start) + 10 * 60_000).toISOString());
    expect(offGrid.status).toBe(422);
    expect(fields(offGrid.body)).toEqual(['body.start']);
    const night = await book(`${monday}T06:00:00.000Z`);
    expect(night.status).toBe(422);
    const past = await book('2020-01-06T14:00:00.000Z');
    expect(past.status).toBe(422);
    const mine = await api('GET', `/v1/patients/${other}/appointments`);
    expect(mine.body.upcoming).toHaveLength(0);
  });
});

describe('holds', () => {
  it('a live hold blocks everyone but its holder, who books it', async () => {
    const p = await setUpPractice();
    const slot = (await slotsOn(monday, p)).body.slots[3];
    const hold = await api('POST', '/v1/appointment-holds', {
      user: 'patient',
      body: {
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start: slot.start,
        patientId: DEMO_PATIENT_ID,
      },
    });
    expect(hold.status).toBe(201);
    expect(Date.parse(hold.body.expiresAt)).toBeGreaterThan(Date.now());
    const desk = await api('POST', '/v1/appointments', {
      user: 'front-desk',
      body: {
        patientId: await newPatientId(),
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start: slot.start,
      },
    });
    expect(desk.status).toBe(409);
    expect((await slotsOn(monday, p, 'front-desk')).body.slots.map((s: any) => s.start)).not.toContain(
      slot.start,
    );
    // The holder still sees its held time as available, and books it.
    expect((await slotsOn(monday, p, 'patient')).body.slots.map((s: any) => s.start)).toContain(slot.start);
    const mine = await api('POST', '/v1/appointments', {
      user: 'patient',
      body: {
        patientId: DEMO_PATIENT_ID,
        providerId: p.providerId,
        appointmentTypeId: p.typeId,
        start: slot.start,
        holdId: hold.body.holdId,
      },
    });
    expect(mine.status).toBe(201);
    const cancel = await api('POST', `/v1/appointments/${mine.body.id}/cancel`, {
      user: 'patient',
      body: { reason: 'Cannot come' },
    });
    expect(cancel.status).toBe(200);
  });
});

describe('the appointment’s day', () => {
  it('check-in, complete; nonsense transitions are 409; reschedule frees the old time', async () => {
    const p = await setUpPractice();
    const patientId = await newPatientId();
    const slots = (await slotsOn(monday, p)).body.slots;
    const booked = await api('POST', '/v1/appointments', {
      body: { patientId, providerId: p.providerId, appointmentTypeId: p.typeId, start: slots[0].start },
    });
    const moved = await api('POST', `/v1/appointments/${booked.body.id}/reschedule`, {
      body: { start: slots[4].start },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ start: slots[4].start, version: 2 });
    const free = (await slotsOn(monday, p)).body.slots.map((s: any) => s.start);
    expect(free).toContain(slots[0].start);
    expect(free).not.toContain(slots[4].start);

    const checkIn = await api('POST', `/v1/appointments/${booked.body.id}/check-in`, {
      user: 'nurse',
      body: {},
    });
    expect(checkIn.status).toBe(200);
    expect(checkIn.body.status).toBe('arrived');
    // Check-in opened the visit's encounter, linked to the appointment, in the same transaction.
    const encounter = await api('GET', `/v1/patients/${patientId}/encounters/${checkIn.body.encounterId}`, {
      user: 'clinician',
    });
    expect(encounter.status).toBe(200);
    expect(encounter.body).toMatchObject({
      status: 'in-progress',
      appointmentId: booked.body.id,
      provider: { id: p.providerId, name: 'Dr. Anika Rao' },
      location: { id: p.locationId },
    });
    expect(
      (await api('POST', `/v1/appointments/${booked.body.id}/check-in`, { user: 'nurse', body: {} })).status,
    ).toBe(409);
    expect(
      (await api('POST', `/v1/appointments/${booked.body.id}/cancel`, { body: { reason: 'x' } })).status,
    ).toBe(409);
    const done = await api('POST', `/v1/appointments/${booked.body.id}/complete`, {
      user: 'clinician',
      body: {},
    });
    expect(done.body.status).toBe('fulfilled');
    const day = await api('GET', `/v1/providers/${p.providerId}/appointments?from=${monday}&to=${monday}`);
    expect(day.body.items.map((a: any) => a.status)).toEqual(['fulfilled']);
  });

  it('roles: billing sees nothing, a nurse cannot book, a patient cannot touch another patient’s appointment', async () => {
    const p = await setUpPractice();
    const patientId = await newPatientId();
    const slot = (await slotsOn(monday, p)).body.slots[1];
    const body = { patientId, providerId: p.providerId, appointmentTypeId: p.typeId, start: slot.start };
    expect((await api('POST', '/v1/appointments', { user: 'nurse', body })).status).toBe(403);
    expect((await api('POST', '/v1/appointments', { user: 'patient', body })).status).toBe(404);
    const booked = await api('POST', '/v1/appointments', { body });
    expect((await api('GET', `/v1/appointments/${booked.body.id}`, { user: 'billing' })).status).toBe(403);
    expect((await api('GET', `/v1/appointments/${booked.body.id}`, { user: 'patient' })).status).toBe(404);
    expect(
      (
        await api('POST', `/v1/appointments/${booked.body.id}/cancel`, {
          user: 'patient',
          body: { reason: 'x' },
        })
      ).status,
    ).toBe(404);
  });
});

describe('set-up validation', () => {
  it('bad NPI, bad time zone, end before start and unknown fields are 400s naming the field, nothing written', async () => {
    const family = `Invalid${Math.random().toString(36).slice(2, 8)}`;
    const npi = await api('POST', '/v1/providers', {
      body: {
        name: { given: ['A'], family },
        npi: '1234567890',
        specialty: 'x',
        locationIds: [practice.locationId],
      },
    });
    expect(npi.status).toBe(400);
    expect(fields(npi.body)).toEqual(['body.npi']);
    const zone = await api('POST', '/v1/locations', {
      body: { name: 'Nowhere', address: { line: ['x'], city: 'y' }, timeZone: 'Mars/Olympus' },
    });
    expect(zone.status).toBe(400);
    expect(fields(zone.body)).toEqual(['body.timeZone']);
    const backwards = await api('PUT', `/v1/providers/${practice.providerId}/schedule`, {
      body: { locationId: practice.locationId, weekly: [{ day: 'mon', start: '12:00', end: '08:00' }] },
      headers: { 'If-Match': '"2"' },
    });
    expect(backwards.status).toBe(400);
    expect(fields(backwards.body)).toEqual(['body.weekly.0.end']);
    const unknownLocation = await api('POST', '/v1/providers', {
      body: {
        name: { given: ['A'], family },
        npi: '1234567893',
        specialty: 'x',
        locationIds: ['01KAXZZZZZZZZZZZZZZZZZZZZZ'],
      },
    });
    expect(unknownLocation.status).toBe(422);
    expect(fields(unknownLocation.body)).toEqual(['body.locationIds.0']);
    const extra = await api('POST', '/v1/appointment-types', { body: { name: 'X', durationMinutes: 7 } });
    expect(extra.status).toBe(400);
    expect(fields(extra.body)).toEqual(['body.durationMinutes']);
    // Nothing was written: no provider with this name exists (walk every page of the list).
    const names: string[] = [];
    let cursor = '';
    do {
      const page = await api('GET', `/v1/providers?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
      names.push(...page.body.items.map((p: any) => p.name.family));
      cursor = page.body.nextCursor ?? '';
    } while (cursor);
    expect(names.length).toBeGreaterThan(0);
    expect(names).not.toContain(family);
    const schedule = await api('GET', `/v1/providers/${practice.providerId}/schedule`);
    expect(schedule.body.version).toBe(2);
  });
});
