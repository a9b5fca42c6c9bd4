// DynamoDB requests per scheduling operation, counted at the SDK while invoking the real handlers against
// DynamoDB Local. Budgets: booking, reschedule and cancel = 1 TransactWriteItems each; availability over any
// range up to 31 days ≤ 2 requests; day and week views = 1 Query; never a Scan.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { createPatient } from '../functions/patients/routes.ts';
import * as scheduling from '../functions/scheduling/routes.ts';
import { buildEvent } from '../infra/local/events.ts';
import { resetClock, setClock } from '../shared/clock.ts';
import { countRequests } from '../shared/dynamodb.ts';
import type { AnyRoute } from '../shared/http/route.ts';
import { useLocalTable } from './support/local-env.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'budget', getRemainingTimeInMillis: () => 10_000 } as Context;

async function invoke(route: AnyRoute, input: Parameters<typeof buildEvent>[1]) {
  const url = pathToFileURL(join(import.meta.dirname, '..', route.handler)).href;
  const { handler } = (await import(/* @vite-ignore */ url)) as { handler: Handler };
  const { result, counts } = await countRequests(() => handler(buildEvent(route, input), context));
  return { status: result.statusCode, body: JSON.parse(result.body || 'null'), counts };
}

const ids = { location: '', provider: '', type: '', patient: '' };
beforeAll(async () => {
  useLocalTable();
  setClock('2030-01-06T12:00:00Z');
  ids.location = (
    await invoke(scheduling.createLocation, {
      body: { name: 'Budget clinic', address: { line: ['1 St'], city: 'X' }, timeZone: 'America/New_York' },
    })
  ).body.id;
  ids.provider = (
    await invoke(scheduling.createProvider, {
      body: {
        name: { given: ['B'], family: 'Udget' },
        npi: withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999))),
        specialty: 'x',
        locationIds: [ids.location],
      },
    })
  ).body.id;
  ids.type = (
    await invoke(scheduling.createAppointmentType, { body: { name: 'B', durationMinutes: 30 } })
  ).body.id;
  const schedule = await invoke(scheduling.putSchedule, {
    params: { providerId: ids.provider },
    body: {
      locationId: ids.location,
      weekly: ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => ({ day, start: '08:00', end: '17:00' })),
    },
    headers: { 'If-Match': '"1"' },
  });
  expect(schedule.status).toBe(200);
  ids.patient = (
    await invoke(createPatient, {
      body: { name: { given: ['B'], family: 'Udget' }, birthDate: '1980-01-01', gender: 'other' },
    })
  ).body.id;
});
afterAll(() => resetClock());

const book = (start: string) =>
  invoke(scheduling.bookAppointment, {
    body: { patientId: ids.patient, providerId: ids.provider, appointmentTypeId: ids.type, start },
    headers: { 'Idempotency-Key': crypto.randomUUID() },
  });

describe('scheduling request budgets', () => {
  it('a provider = 1 TransactWriteItems: its locations are ConditionChecks in it, not reads before it', async () => {
    const body = (locationIds: string[]) => ({
      name: { given: ['C'], family: 'Heck' },
      npi: withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999))),
      specialty: 'x',
      locationIds,
    });
    const created = await invoke(scheduling.createProvider, { body: body([ids.location]) });
    expect(created.status).toBe(201);
    expect(created.counts).toEqual({ TransactWriteItems: 1 });
    const unknown = await invoke(scheduling.createProvider, {
      body: body([ids.location, '01KAXZZZZZZZZZZZZZZZZZZZZZ']),
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ field: 'body.locationIds.1', message: 'No such location' }]);
    expect(unknown.counts).toEqual({ TransactWriteItems: 1 });
  });

  it('a stale If-Match costs the read it was found on and the failure audit, nothing more', async () => {
    const booked = await book('2030-01-09T14:00:00.000Z');
    const stale = await invoke(scheduling.cancelAppointment, {
      params: { appointmentId: booked.body.id },
      body: { reason: 'Budget' },
      headers: { 'If-Match': '"7"' },
    });
    expect(stale.status).toBe(412);
    // The read that found it stale, and the failure's audit record.
    expect(stale.counts).toEqual({ GetItem: 1, PutItem: 1 });
  });

  it('availability over 31 days = 2 requests (BatchGetItem + Query)', async () => {
    await book('2030-01-08T14:00:00.000Z');
    const res = await invoke(scheduling.getAvailability, {
      query: { providerId: ids.provider, appointmentTypeId: ids.type, from: '2030-01-07', to: '2030-02-06' },
    });
    expect(res.status).toBe(200);
    expect(res.body.slots.length).toBeGreaterThan(300);
    expect(res.counts).toEqual({ BatchGetItem: 1, Query: 1 });
  });

  it('booking = 1 BatchGetItem + 1 TransactWriteItems', async () => {
    const res = await book('2030-01-07T14:00:00.000Z');
    expect(res.status).toBe(201);
    expect(res.counts).toEqual({ BatchGetItem: 1, TransactWriteItems: 1 });
  });

  it('reschedule and cancel = 1 TransactWriteItems each (after their reads)', async () => {
    const booked = await book('2030-01-07T15:00:00.000Z');
    const moved = await invoke(scheduling.rescheduleAppointment, {
      params: { appointmentId: booked.body.id },
      body: { start: '2030-01-07T16:00:00.000Z' },
      headers: { 'If-Match': '"1"' },
    });
    expect(moved.status).toBe(200);
    expect(moved.counts).toEqual({ GetItem: 1, BatchGetItem: 1, TransactWriteItems: 1 });
    const cancelled = await invoke(scheduling.cancelAppointment, {
      params: { appointmentId: booked.body.id },
      body: { reason: 'Budget' },
      headers: { 'If-Match': '"2"' },
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.counts).toEqual({ GetItem: 1, BatchGetItem: 1, TransactWriteItems: 1 });
  });

  it('check-in (which also opens the encounter) = 1 GetItem + 1 BatchGetItem + 1 TransactWriteItems', async () => {
    const booked = await book('2030-01-07T17:00:00.000Z');
    const checkedIn = await invoke(scheduling.checkInAppointment, {
      params: { appointmentId: booked.body.id },
      body: {},
      headers: { 'If-Match': '"1"' },
    });
    expect(checkedIn.status).toBe(200);
    expect(checkedIn.body.encounterId).toBeTruthy();
    expect(checkedIn.counts).toEqual({ GetItem: 1, BatchGetItem: 1, TransactWriteItems: 1 });
  });

  it('day and week views = 1 Query (+ the audit write of what was disclosed)', async () => {
    const day = await invoke(scheduling.providerAppointments, {
      params: { providerId: ids.provider },
      query: { from: '2030-01-07', to: '2030-01-07' },
    });
    expect(day.status).toBe(200);
    expect(day.body.items.length).toBeGreaterThan(0);
    expect(day.counts.Query).toBe(1);
    expect(day.counts.Scan).toBeUndefined();
    const week = await invoke(scheduling.providerAppointments, {
      params: { providerId: ids.provider },
      query: { from: '2030-01-07', to: '2030-01-13' },
    });
    expect(week.counts.Query).toBe(1);
    const desk = await invoke(scheduling.locationAppointments, {
      params: { locationId: ids.location },
      query: { date: '2030-01-07' },
    });
    expect(desk.counts.Query).toBe(1);
  });
});
