// Property: for random sessions of API calls (several roles, own and other patients, valid, invalid, stale and
// replayed requests, through the local gateway with real tokens), a patient's audit log holds exactly the calls
// that touched that patient, each with the right outcome. Who may do what comes from the route table.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import type { Role } from '../../shared/auth/roles.ts';
import { api, newPatientBody } from '../support/api.ts';
import { type Practice, setUpPractice } from '../support/scheduling.ts';
import { idClaims, signWithPoolKey } from '../support/tokens.ts';

const ROLES = [
  'admin',
  'clinician',
  'nurse',
  'front-desk',
  'billing',
  'patient',
  'external-provider',
] as const;
type Who = (typeof ROLES)[number];
type Target = 'A' | 'B';
/** What a call leaves in one patient's log: nothing, or one outcome (`+replay` for a replay). */
type Filed = 'success' | 'denied' | 'failure' | 'success+replay';

function rolesOf(operationId: string): readonly Role[] {
  const route = routes.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`no route ${operationId}`);
  return route.roles;
}

/** The policy as the API documents it: staff by the route's roles; a patient user only for its own patient. */
function decide(who: Who, operationId: string, target: Target): 'allow' | 'deny' | 'conceal' {
  const roles = rolesOf(operationId);
  if (who === 'patient') {
    if (!roles.includes('patient')) return 'deny';
    return target === 'A' ? 'allow' : 'conceal';
  }
  return roles.includes(who as Role) ? 'allow' : 'deny';
}

interface Session {
  ids: Record<Target, string>;
  appointments: Record<Target, { id: string; status: 'booked' | 'cancelled' }>;
  versions: Record<Target, number>;
  patientToken: string;
  /** The last idempotent create that succeeded: a replay sends it again. */
  lastCreate?: { user: Who; path: string; body: unknown; key: string; target: Target };
  /** Per request id: what each patient's log must hold for it. */
  expected: Map<string, Partial<Record<Target, Filed>>>;
  /** Per request id: the call, for the failure message. */
  labels: Map<string, string>;
}

interface Call {
  method: string;
  path: string;
  who: Who | 'expired';
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sessions per run (AUDIT_PROPERTY_RUNS=200 for a longer hunt). */
const RUNS = Number(process.env.AUDIT_PROPERTY_RUNS ?? 12);

let practice: Practice;
const slots: string[] = [];
let slotIndex = 0;
let keyCounter = 0;
const newKey = () => `prop-${Date.now().toString(36)}-${keyCounter++}`;

async function send(s: Session, call: Call) {
  const token =
    call.who === 'patient'
      ? s.patientToken
      : call.who === 'expired'
        ? await signWithPoolKey({
            ...idClaims('admin'),
            iat: Math.floor(Date.now() / 1000) - 7200,
            exp: Math.floor(Date.now() / 1000) - 60,
          })
        : undefined;
  const res = await api(call.method, call.path, {
    ...(token ? { token } : { user: call.who }),
    ...(call.body !== undefined ? { body: call.body } : {}),
    ...(call.headers ? { headers: call.headers } : {}),
  });
  const requestId = res.headers.get('x-amzn-requestid');
  if (!requestId) throw new Error('no request id');
  return { ...res, requestId };
}

/** Runs a call, checks its status agrees with the expectation, and remembers what the logs must hold. */
async function run(s: Session, call: Call, expected: Partial<Record<Target, Filed>>, status: number[]) {
  const res = await send(s, call);
  const label = `${call.who} ${call.method} ${call.path}`;
  expect(status, `${label} → ${res.status} ${JSON.stringify(res.body)}`).toContain(res.status);
  s.expected.set(res.requestId, expected);
  s.labels.set(res.requestId, `${label} → ${res.status}`);
  return res;
}

const denial = (decision: 'deny' | 'conceal') => (decision === 'deny' ? [403] : [404]);

type Command = { kind: string; who: Who; target: Target; stale: boolean };

async function execute(s: Session, c: Command): Promise<void> {
  const { who, target } = c;
  const patientId = s.ids[target];
  const on = (filed: Filed) => ({ [target]: filed }) as Partial<Record<Target, Filed>>;
  switch (c.kind) {
    case 'readPatient': {
      const d = decide(who, 'getPatient', target);
      await run(
        s,
        { method: 'GET', path: `/v1/patients/${patientId}`, who },
        on(d === 'allow' ? 'success' : 'denied'),
        d === 'allow' ? [200] : denial(d),
      );
      return;
    }
    case 'updatePatient': {
      const d = decide(who, 'updatePatient', target);
      const version = s.versions[target] + (c.stale ? -1 : 0);
      const call = {
        method: 'PATCH',
        path: `/v1/patients/${patientId}`,
        who,
        headers: { 'If-Match': `"${version}"` },
        body: { preferredLanguage: c.stale ? 'fr' : 'en' },
      };
      if (d !== 'allow') return void (await run(s, call, on('denied'), denial(d)));
      if (c.stale) return void (await run(s, call, on('failure'), [412]));
      await run(s, call, on('success'), [200]);
      s.versions[target] += 1;
      return;
    }
    case 'invalidUpdate': {
      // Denial comes before validation; an allowed caller's bad input never reaches the data.
      const d = decide(who, 'updatePatient', target);
      const call = {
        method: 'PATCH',
        path: `/v1/patients/${patientId}`,
        who,
        headers: { 'If-Match': `"${s.versions[target]}"` },
        body: { birthDate: '1990-02-30', id: 'x' },
      };
      await run(s, call, d === 'allow' ? {} : on('denied'), d === 'allow' ? [400] : denial(d));
      return;
    }
    case 'readAppointment':
    case 'cancelAppointment': {
      const op = c.kind === 'readAppointment' ? 'getAppointment' : 'cancelAppointment';
      const appointment = s.appointments[target];
      const call: Call =
        op === 'getAppointment'
          ? { method: 'GET', path: `/v1/appointments/${appointment.id}`, who }
          : {
              method: 'POST',
              path: `/v1/appointments/${appointment.id}/cancel`,
              who,
              body: { reason: 'property test' },
              // Booked at version 1; the one successful cancel makes it 2 (a second cancel then names it: 409).
              headers: {
                'Idempotency-Key': newKey(),
                'If-Match': `"${appointment.status === 'cancelled' ? 2 : 1}"`,
              },
            };
      const d = decide(who, op, target);
      // The role gate refuses before the appointment is read: its patient is not known, so no patient's log.
      if (d === 'deny') return void (await run(s, call, {}, [403]));
      if (d === 'conceal') return void (await run(s, call, on('denied'), [404]));
      if (op === 'getAppointment') return void (await run(s, call, on('success'), [200]));
      if (appointment.status === 'cancelled') return void (await run(s, call, on('failure'), [409]));
      await run(s, call, on('success'), [200]);
      appointment.status = 'cancelled';
      return;
    }
    case 'createProblem': {
      const d = decide(who, 'createProblem', target);
      const key = newKey();
      const path = `/v1/patients/${patientId}/problems`;
      const body = { code: 'I10', display: `Essential hypertension ${key}` };
      const call = { method: 'POST', path, who, body, headers: { 'Idempotency-Key': key } };
      if (d !== 'allow') return void (await run(s, call, on('denied'), denial(d)));
      await run(s, call, on('success'), [201]);
      s.lastCreate = { user: who, path, body, key, target };
      return;
    }
    case 'replay': {
      const last = s.lastCreate;
      if (!last) return;
      const call = {
        method: 'POST',
        path: last.path,
        who: last.user,
        body: last.body,
        headers: { 'Idempotency-Key': last.key },
      };
      const res = await run(s, call, { [last.target]: 'success+replay' }, [201]);
      expect(res.headers.get('idempotent-replayed')).toBe('true');
      return;
    }
    case 'readChart': {
      const d = decide(who, 'getChart', target);
      const call = { method: 'GET', path: `/v1/patients/${patientId}/chart`, who };
      await run(s, call, on(d === 'allow' ? 'success' : 'denied'), d === 'allow' ? [200] : denial(d));
      return;
    }
    case 'listAppointments': {
      const d = decide(who, 'listPatientAppointments', target);
      const call = { method: 'GET', path: `/v1/patients/${patientId}/appointments`, who };
      await run(s, call, on(d === 'allow' ? 'success' : 'denied'), d === 'allow' ? [200] : denial(d));
      return;
    }
    case 'readAuditLog': {
      // The patient is in the query: a denial is filed under them too.
      const d = decide(who, 'listAudit', target);
      const call = { method: 'GET', path: `/v1/audit?patientId=${patientId}&limit=5`, who };
      await run(s, call, on(d === 'allow' ? 'success' : 'denied'), d === 'allow' ? [200] : [403]);
      return;
    }
    case 'bookOffGrid': {
      // The patient is in the body; the time is off the type's grid, so an allowed booking fails with 422.
      const d = decide(who, 'bookAppointment', target);
      const start = new Date(Date.parse(slots[0] as string) + 7 * 60_000).toISOString();
      const body = {
        patientId,
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start,
      };
      const call = { method: 'POST', path: '/v1/appointments', who, body };
      await run(s, call, on(d === 'allow' ? 'failure' : 'denied'), d === 'allow' ? [422] : denial(d));
      return;
    }
    case 'expiredToken': {
      await run(s, { method: 'GET', path: `/v1/patients/${patientId}`, who: 'expired' }, {}, [401]);
      return;
    }
    default:
      throw new Error(`unknown command ${c.kind}`);
  }
}

const KINDS = [
  'readPatient',
  'updatePatient',
  'invalidUpdate',
  'readAppointment',
  'cancelAppointment',
  'createProblem',
  'replay',
  'readChart',
  'listAppointments',
  'readAuditLog',
  'bookOffGrid',
  'expiredToken',
] as const;

const commandArb: fc.Arbitrary<Command> = fc.record({
  kind: fc.constantFrom(...KINDS),
  who: fc.constantFrom(...ROLES),
  target: fc.constantFrom<Target>('A', 'B'),
  stale: fc.boolean(),
});

/** A new session: two new patients (A is the patient user's), each with a booked appointment. */
async function openSession(): Promise<Session> {
  const s = { expected: new Map(), labels: new Map() } as Session;
  s.ids = {} as Session['ids'];
  s.appointments = {} as Session['appointments'];
  s.versions = { A: 1, B: 1 };
  for (const target of ['A', 'B'] as const) {
    const key = newKey();
    const body = newPatientBody();
    const res = await send(s, {
      method: 'POST',
      path: '/v1/patients',
      who: 'front-desk',
      body,
      headers: { 'Idempotency-Key': key },
    });
    expect(res.status).toBe(201);
    s.ids[target] = res.body.id;
    s.expected.set(res.requestId, { [target]: 'success' });
    s.labels.set(res.requestId, `register ${target}`);
    s.lastCreate = { user: 'front-desk', path: '/v1/patients', body, key, target };
  }
  s.patientToken = await signWithPoolKey({ ...idClaims('patient'), 'custom:patientId': s.ids.A });
  for (const target of ['A', 'B'] as const) {
    const start = slots[slotIndex++];
    if (!start) throw new Error('out of free slots for the property test');
    const res = await send(s, {
      method: 'POST',
      path: '/v1/appointments',
      who: 'front-desk',
      body: {
        patientId: s.ids[target],
        providerId: practice.providerId,
        appointmentTypeId: practice.typeId,
        start,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    s.appointments[target] = { id: res.body.id, status: 'booked' };
    s.expected.set(res.requestId, { [target]: 'success' });
    s.labels.set(res.requestId, `book for ${target}`);
  }
  return s;
}

/** The session's requests as `patient`'s log files them: request id → outcomes. */
async function filedFor(s: Session, target: Target): Promise<Map<string, Set<Filed>>> {
  const filed = new Map<string, Set<Filed>>();
  let cursor: string | undefined;
  do {
    const res = await api(
      'GET',
      `/v1/audit?patientId=${s.ids[target]}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { user: 'admin' },
    );
    expect(res.status).toBe(200);
    for (const r of res.body.items as { requestId: string; outcome: string; replayed?: boolean }[]) {
      if (!s.expected.has(r.requestId)) continue;
      const set = filed.get(r.requestId) ?? new Set<Filed>();
      set.add(`${r.outcome}${r.replayed ? '+replay' : ''}` as Filed);
      filed.set(r.requestId, set);
    }
    cursor = res.body.nextCursor;
  } while (cursor);
  return filed;
}

beforeAll(async () => {
  practice = await setUpPractice({ durationMinutes: 15 });
  // Each session books two slots; a day offers 32. One availability query covers the days needed (≤ 31).
  const days = Math.min(31, Math.ceil((RUNS * 2) / 30) + 1);
  const from = new Date(Date.now() + 8 * 86_400_000).toISOString().slice(0, 10);
  const to = new Date(Date.parse(from) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const res = await api(
    'GET',
    `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=${from}&to=${to}`,
    { user: 'front-desk' },
  );
  slots.push(...res.body.slots.map((x: { start: string }) => x.start));
}, 120_000);

describe('the audit log is exactly the calls that touched the patient', () => {
  it('for random sessions of calls by every role on own and other patients', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 3, maxLength: 10 }), async (commands) => {
        const s = await openSession();
        for (const c of commands) await execute(s, c);
        for (const target of ['A', 'B'] as const) {
          const filed = await filedFor(s, target);
          const label = (id: string) => s.labels.get(id) ?? id;
          const actual = [...s.expected.keys()].map((id) => [label(id), [...(filed.get(id) ?? [])].sort()]);
          const wanted = [...s.expected.entries()].map(([id, e]) => [
            label(id),
            e[target] ? [e[target]] : [],
          ]);
          expect(actual, `patient ${target}`).toEqual(wanted);
        }
      }),
      // Bounded: 12 sessions of up to 16 calls each (~20 s alone, ~40 s inside the full suite on 2 busy cores);
      // no shrinking, since each session books new slots.
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 180_000);
});
