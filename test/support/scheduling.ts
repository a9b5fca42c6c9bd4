// Sets up a location, a provider with a weekly schedule and an appointment type through the API, as an admin
// would, and finds future dates to book on.
import { withNpiCheckDigit } from '../../functions/scheduling/npi.ts';
import { api, newPatientBody } from './api.ts';

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
    weekly?: unknown[];
  } = {},
): Promise<Practice> {
  const timeZone = options.timeZone ?? 'America/New_York';
  const location = await api('POST', '/v1/locations', {
    body: {
      name: `Clinic ${Math.random().toString(36).slice(2, 7)}`,
      address: { line: ['1 Main St'], city: 'Springfield' },
      timeZone,
    },
  });
  if (location.status !== 201) throw new Error(`location: ${JSON.stringify(location.body)}`);
  const provider = await api('POST', '/v1/providers', {
    body: {
      name: { given: ['Anika'], family: 'Rao', prefix: 'Dr.' },
      npi: uniqueNpi(),
      specialty: 'Family medicine',
      locationIds: [location.body.id],
    },
  });
  if (provider.status !== 201) throw new Error(`provider: ${JSON.stringify(provider.body)}`);
  const type = await api('POST', '/v1/appointment-types', {
    body: {
      name: 'Visit',
      durationMinutes: options.durationMinutes ?? 30,
      bufferAfterMinutes: options.bufferAfterMinutes ?? 0,
    },
  });
  if (type.status !== 201) throw new Error(`type: ${JSON.stringify(type.body)}`);
  const weekly =
    options.weekly ??
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].flatMap((day) => [
      { day, start: '08:00', end: '12:00' },
      { day, start: '13:00', end: '17:00' },
    ]);
  const schedule = await api('PUT', `/v1/providers/${provider.body.id}/schedule`, {
    body: { locationId: location.body.id, weekly },
    headers: { 'If-Match': '"1"' },
  });
  if (schedule.status !== 200) throw new Error(`schedule: ${JSON.stringify(schedule.body)}`);
  return { locationId: location.body.id, providerId: provider.body.id, typeId: type.body.id, timeZone };
}

export async function newPatientId(user = 'front-desk'): Promise<string> {
  const res = await api('POST', '/v1/patients', { user, body: newPatientBody() });
  if (res.status !== 201) throw new Error(`patient: ${JSON.stringify(res.body)}`);
  return res.body.id;
}
