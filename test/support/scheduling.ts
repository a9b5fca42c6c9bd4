// Sets up a location, a provider with a weekly schedule and an appointment type through the API, as an admin
// would, and finds future dates to book on.
import { withNpiCheckDigit } from '#shared/npi.ts';
import type { RequestBody } from '../../shared/client/index.ts';
import { client, newPatientBody } from './api.ts';

export function uniqueNpi(): string {
  return withNpiCheckDigit(String(Math.floor(100_000_000 + Math.random() * 899_999_999)));
}

/** The date (YYYY-MM-DD) of the next given weekday at least `minDaysAhead` days from now. */
export function nextWeekday(day: number, minDaysAhead = 7): string {
  const t = new Date(Date.now() + minDaysAhead * 86_400_000);
  while (t.getUTCDay() !== day) t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

export interface Practice {
  locationId: string;
  providerId: string;
  typeId: string;
  timeZone: string;
}

export async function setUpPractice(
  options: {
    timeZone?: string;
    durationMinutes?: number;
    bufferAfterMinutes?: number;
    weekly?: RequestBody<'putSchedule'>['weekly'];
  } = {},
): Promise<Practice> {
  const timeZone = options.timeZone ?? 'America/New_York';
  const admin = client('admin');
  const location = await admin.POST('/v1/locations', {
    body: {
      name: `Clinic ${Math.random().toString(36).slice(2, 7)}`,
      address: { line: ['1 Main St'], city: 'Springfield' },
      timeZone,
    },
  });
  if (!location.data) throw new Error(`location: ${JSON.stringify(location.error)}`);
  const provider = await admin.POST('/v1/providers', {
    body: {
      name: { given: ['Anika'], family: 'Rao', prefix: 'Dr.' },
      npi: uniqueNpi(),
      specialty: 'Family medicine',
      locationIds: [location.data.id],
    },
  });
  if (!provider.data) throw new Error(`provider: ${JSON.stringify(provider.error)}`);
  const type = await admin.POST('/v1/appointment-types', {
    body: {
      name: 'Visit',
      durationMinutes: options.durationMinutes ?? 30,
      bufferAfterMinutes: options.bufferAfterMinutes ?? 0,
    },
  });
  if (!type.data) throw new Error(`type: ${JSON.stringify(type.error)}`);
  const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
  const weekly =
    options.weekly ??
    days.flatMap((day) => [
      { day, start: '08:00', end: '12:00' },
      { day, start: '13:00', end: '17:00' },
    ]);
  const schedule = await admin.PUT('/v1/providers/{providerId}/schedule', {
    params: { path: { providerId: provider.data.id }, header: { 'If-Match': '"1"' } },
    body: { locationId: location.data.id, weekly },
  });
  if (schedule.response.status !== 200) throw new Error(`schedule: ${JSON.stringify(schedule.error)}`);
  return { locationId: location.data.id, providerId: provider.data.id, typeId: type.data.id, timeZone };
}

let sharedLocationId: string | undefined;

/** A new provider (at a location made once per test file), for a test that needs a provider of its own. */
export async function newProviderId(): Promise<string> {
  const admin = client('admin');
  if (!sharedLocationId) {
    const location = await admin.POST('/v1/locations', {
      body: { name: 'Provider test clinic', address: { line: ['1 Main St'], city: 'X' }, timeZone: 'UTC' },
    });
    if (!location.data) throw new Error(`location: ${JSON.stringify(location.error)}`);
    sharedLocationId = location.data.id;
  }
  const provider = await admin.POST('/v1/providers', {
    body: {
      name: { given: ['Ada'], family: 'Byron', prefix: 'Dr.' },
      npi: uniqueNpi(),
      specialty: 'Internal medicine',
      locationIds: [sharedLocationId],
    },
  });
  if (!provider.data) throw new Error(`provider: ${JSON.stringify(provider.error)}`);
  return provider.data.id;
}

export async function newPatientId(user = 'front-desk'): Promise<string> {
  const res = await client(user).POST('/v1/patients', { body: newPatientBody() });
  if (res.response.status !== 201 || !res.data) throw new Error(`patient: ${JSON.stringify(res.error)}`);
  return res.data.id;
}
