// Scheduling use cases on DynamoDB Local: a property test that no sequence of bookings, holds, cancellations and
// reschedules ever double-books a provider or a patient, or offers taken time; expired holds; and an appointment
// staying on its location's day through its changes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetClock, setClock } from '#shared/clock.ts';
import { ConflictError, UnprocessableError } from '#shared/errors.ts';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { useLocalTable } from '../../test/support/local-env.ts';
import { PatientService } from '../patients/service.ts';
import { type Interval, isActive, overlaps } from './availability.ts';
import { BookingService } from './booking.ts';
import { uniqueById } from './calendar.ts';
import { CatalogService } from './catalog.ts';
import { AppointmentLifecycle } from './lifecycle.ts';
import { ScheduleService } from './schedule.ts';
import type { Appointment } from './schemas.ts';
import { DynamoSchedulingStore } from './store.ts';
import { AppointmentViews } from './views.ts';

const staff = (sub = 'desk-1') => ({
  principal: { sub, username: sub, roles: ['front-desk' as const] },
  requestId: `req-${crypto.randomUUID()}`,
});
const DESK = ['admin', 'front-desk'] as const;
const MONDAY = '2030-01-07';
let now = Date.parse('2030-01-06T12:00:00Z');
const catalog = new CatalogService();
const schedules = new ScheduleService();
const booking = new BookingService();
const lifecycle = new AppointmentLifecycle();
const store = new DynamoSchedulingStore();
let locationId: string;
let typeId: string;
const patients: string[] = [];

async function newProvider(): Promise<string> {
  const npi = withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999)));
  const provider = await catalog.createProvider(staff(), {
    name: { given: ['P'], family: 'Prop' },
    npi,
    specialty: 'x',
    locationIds: [locationId],
  });
  const providerId = (provider.body as { id: string }).id;
  await schedules.putSchedule(staff(), providerId, 1, {
    locationId,
    weekly: [{ day: 'mon', start: '08:00', end: '11:00' }],
  });
  return providerId;
}

beforeAll(async () => {
  useLocalTable();
  setClock(() => now);
  const location = await catalog.createLocation(staff(), {
    name: 'Prop clinic',
    address: { line: ['1 Test St'], city: 'Testville', country: 'US' },
    timeZone: 'America/New_York',
  });
  locationId = (location.body as { id: string }).id;
  const type = await catalog.createAppointmentType(staff(), {
    name: 'Prop visit',
    durationMinutes: 30,
    bufferAfterMinutes: 10,
    slotIntervalMinutes: 15,
  });
  typeId = (type.body as { id: string }).id;
  const patientService = new PatientService();
  for (let i = 0; i < 3; i++) {
    const p = await patientService.create(staff(), {
      name: { given: ['Prop'], family: `Patient${i}` },
      birthDate: '1980-01-01',
      gender: 'unknown',
    });
    patients.push((p.body as { id: string }).id);
  }
});
afterAll(() => resetClock());

/** 08:00 New York (13:00Z) on the Monday plus `index` quarter hours; some are off hours on purpose. */
const slotStart = (index: number) =>
  new Date(Date.parse(`${MONDAY}T13:00:00Z`) + index * 15 * 60_000).toISOString();

type Op =
  | { kind: 'book'; slot: number; patient: number; holder: number }
  | { kind: 'hold'; slot: number; holder: number }
  | { kind: 'cancel'; which: number }
  | { kind: 'reschedule'; which: number; slot: number }
  | { kind: 'wait'; minutes: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('book' as const), slot: fc.nat(13), patient: fc.nat(2), holder: fc.nat(1) }),
  fc.record({ kind: fc.constant('hold' as const), slot: fc.nat(13), holder: fc.nat(1) }),
  fc.record({ kind: fc.constant('cancel' as const), which: fc.nat(9) }),
  fc.record({ kind: fc.constant('reschedule' as const), which: fc.nat(9), slot: fc.nat(13) }),
  fc.record({ kind: fc.constant('wait' as const), minutes: fc.constantFrom(2, 6) }),
);

async function run(providerId: string, ops: Op[]): Promise<void> {
  const booked: Appointment[] = [];
  const holds = new Map<number, string>();
  for (const o of ops) {
    try {
      if (o.kind === 'wait') now += o.minutes * 60_000;
      else if (o.kind === 'hold') {
        const h = await booking.hold(
          staff(`holder-${o.holder}`),
          { providerId, appointmentTypeId: typeId, start: slotStart(o.slot) },
          DESK,
        );
        holds.set(o.holder, (h.body as { holdId: string }).holdId);
      } else if (o.kind === 'book') {
        const a = await booking.book(
          staff(`holder-${o.holder}`),
          {
            providerId,
            appointmentTypeId: typeId,
            start: slotStart(o.slot),
            patientId: patients[o.patient] as string,
            holdId: holds.get(o.holder),
          },
          DESK,
        );
        booked.push(a.body as Appointment);
      } else if (o.kind === 'cancel' && booked.length > 0) {
        const at = o.which % booked.length;
        const a = booked[at] as Appointment;
        booked[at] = (await lifecycle.cancel(staff(), a.id, 'test', DESK, a.version)).body as Appointment;
      } else if (o.kind === 'reschedule' && booked.length > 0) {
        const at = o.which % booked.length;
        const a = booked[at] as Appointment;
        booked[at] = (await booking.reschedule(staff(), a.id, { start: slotStart(o.slot) }, DESK, a.version))
          .body as Appointment;
      }
    } catch (error) {
      if (!(error instanceof ConflictError || error instanceof UnprocessableError)) throw error;
    }
  }
}

describe('scheduling invariants (property)', () => {
  it('never two overlapping active intervals for a provider or a patient, never a taken slot offered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 4, maxLength: 14 }), async (ops) => {
        now = Date.parse('2030-01-06T12:00:00Z');
        const providerId = await newProvider();
        await run(providerId, ops);
        const intervals = await store.providerIntervals(providerId, MONDAY, MONDAY);
        const active = uniqueById(intervals).filter((i) => isActive(i, now));
        const span = (i: Interval) => ({ start: Date.parse(i.start), end: Date.parse(i.busyUntil) });
        for (const [i, a] of active.entries()) {
          for (const b of active.slice(i + 1))
            expect(overlaps(span(a), span(b)), `${a.id} vs ${b.id}`).toBe(false);
        }
        const byPatient = active.filter((i) => i.kind === 'appointment');
        for (const [i, a] of byPatient.entries()) {
          for (const b of byPatient.slice(i + 1)) {
            if (a.patientId === b.patientId) {
              expect(
                overlaps(
                  { start: Date.parse(a.start), end: Date.parse(a.end) },
                  { start: Date.parse(b.start), end: Date.parse(b.end) },
                ),
              ).toBe(false);
            }
          }
        }
        const offered = await booking.availability(staff('someone-else'), {
          providerId,
          appointmentTypeId: typeId,
          from: MONDAY,
          to: MONDAY,
        });
        for (const slot of (offered.body as { slots: { start: string; end: string }[] }).slots) {
          const wanted = { start: Date.parse(slot.start), end: Date.parse(slot.end) + 10 * 60_000 };
          for (const taken of active) expect(overlaps(wanted, span(taken))).toBe(false);
        }
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 20) },
    );
  }, 120_000);
});

describe('holds', () => {
  it('an expired hold blocks no one, even before anything deletes it', async () => {
    now = Date.parse('2030-01-06T12:00:00Z');
    const providerId = await newProvider();
    const fresh = await new PatientService().create(staff(), {
      name: { given: ['Hold'], family: 'Tester' },
      birthDate: '1980-01-01',
      gender: 'unknown',
    });
    const patientId = (fresh.body as { id: string }).id;
    await booking.hold(
      staff('holder-a'),
      { providerId, appointmentTypeId: typeId, start: slotStart(0) },
      DESK,
    );
    await expect(
      booking.book(
        staff('desk-b'),
        { providerId, appointmentTypeId: typeId, start: slotStart(0), patientId },
        DESK,
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    now += 6 * 60_000; // the hold lasts 5 minutes
    const booked = await booking.book(
      staff('desk-b'),
      { providerId, appointmentTypeId: typeId, start: slotStart(0), patientId },
      DESK,
    );
    expect(booked.status).toBe(201);
  });
});

describe('the location’s day', () => {
  it('keeps an evening appointment on its local date through cancel and check-in (not on the UTC date)', async () => {
    now = Date.parse('2030-01-06T12:00:00Z');
    const location = await catalog.createLocation(staff(), {
      name: 'Evening clinic',
      address: { line: ['2 Test St'], city: 'Testville', country: 'US' },
      timeZone: 'America/New_York',
    });
    const eveningId = (location.body as { id: string }).id;
    const provider = await catalog.createProvider(staff(), {
      name: { given: ['E'], family: 'Vening' },
      npi: withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999))),
      specialty: 'x',
      locationIds: [eveningId],
    });
    const providerId = (provider.body as { id: string }).id;
    await schedules.putSchedule(staff(), providerId, 1, {
      locationId: eveningId,
      weekly: [{ day: 'mon', start: '19:00', end: '21:00' }],
    });
    // 19:00 and 20:00 in New York on Monday are 00:00Z and 01:00Z on Tuesday.
    const bookAt = async (start: string, patientId: string) =>
      (await booking.book(staff(), { providerId, appointmentTypeId: typeId, start, patientId }, DESK))
        .body as Appointment;
    const first = await bookAt('2030-01-08T00:00:00.000Z', patients[0] as string);
    const second = await bookAt('2030-01-08T01:00:00.000Z', patients[1] as string);
    const cancelled = (await lifecycle.cancel(staff(), first.id, 'test', DESK, 1)).body;
    const nurse = {
      principal: { sub: 'nurse-1', username: 'nurse-1', roles: ['nurse' as const] },
      requestId: 'r',
    };
    const arrived = (await lifecycle.transition(nurse, second.id, 'check-in', ['nurse'], 1)).body;
    const views = new AppointmentViews();
    const day = await views.locationAppointments(staff(), eveningId, MONDAY);
    expect((day.body as { items: Appointment[] }).items).toEqual([cancelled, arrived]);
    const utcDay = await views.locationAppointments(staff(), eveningId, '2030-01-08');
    expect((utcDay.body as { items: Appointment[] }).items).toEqual([]);
  });
});
