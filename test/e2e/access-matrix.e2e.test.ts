// The access matrix: every operation of the route table × every role × {the caller's own record (for the patient
// role: their linked patient), another patient's record, a record of another kind in the path}, each answered as
// the route's documented rule says, and no representation (JSON, FHIR, NDJSON export, audit log) carrying chart
// content its reader may not see. The expected rule of each route is declared below; a route without an entry
// fails the test (issue 18).
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { receiveInboundReferral } from '../../functions/referrals/inbound-routes.ts';
import type { Referral } from '../../functions/referrals/schemas.ts';
import { routes } from '../../functions/routes.ts';
import { ROLES, type Role } from '../../shared/auth/roles.ts';
import { type ApiResponse, api, ifMatch, newPatientBody } from '../support/api.ts';
import {
  buildFullChart,
  CONTENT_KINDS,
  type ContentKind,
  type FullChart,
  kindsIn,
  patientTokenFor,
} from '../support/chart.ts';
import { useLocalTable } from '../support/local-env.ts';
import { sentReferral } from '../support/referrals.ts';
import { nextWeekday, type Practice, setUpPractice, uniqueNpi } from '../support/scheduling.ts';

type Target = 'own' | 'other' | 'wrong-kind';

/** What each role may see of a chart, whatever route or representation carries it (docs/charting.md, Roles). */
const MAY_SEE: Record<Role, readonly ContentKind[]> = {
  clinician: CONTENT_KINDS,
  nurse: CONTENT_KINDS,
  patient: [
    'signedNote',
    'addendum',
    'problem',
    'medication',
    'allergy',
    'noKnownAllergies',
    'vitals',
    'finalLab',
  ],
  billing: ['encounter', 'signedNote', 'addendum'],
  'front-desk': ['encounter'],
  admin: [],
  'external-provider': [],
};

interface Fixtures {
  own: FullChart;
  other: FullChart;
  practice: Practice;
  /** Providers whose schedules the matrix may change (the practice's stays as booked against): one per route. */
  spareProviderIds: { schedule: string; exceptions: string };
  appointments: { own: string; other: string };
  exportId: string;
  /** A sent referral of the own patient, and a directory entry (the demo cardiologist). */
  referralId: string;
  /** Referrals of each patient: own's sent to the demo external provider, other's to another practitioner. */
  referrals: { own: Referral; other: Referral };
  /** An inbound referral on the worklist. */
  inboundReferralId: string;
  /** A consult note received for each patient (a received document). */
  receivedDocumentIds: { own: string; other: string };
}

interface Case {
  role: Role;
  target: Target;
  /** True when the rule lets this call through: the builder then hands it a record of its own to change. */
  allowed: boolean;
  f: Fixtures;
  /** The patient the call is about: own for `own` and `wrong-kind`, the other patient for `other`. */
  chart: FullChart;
}

interface Call {
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** A body sent as it is (an X12 file), with its own Content-Type in `headers`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

interface Rule {
  /** The roles the route documents; `public` routes answer everyone. */
  roles: readonly Role[] | 'public';
  /** Other answers the route documents for reasons that are not access (health: 503 while a dependency is down). */
  alsoOk?: number[];
  /**
   * Calls that must not overlap (they share a record's version, or a per-patient list lock that makes concurrent
   * writers take turns with 409) run one after another in their lane; every other call runs side by side.
   */
  lane?: string;
  /** Which of the three targets apply: `patient` (all three), `record` (own and wrong-kind), `none` (own). */
  scope: 'patient' | 'record' | 'none';
  ok: number;
  /**
   * The answer for a record of another kind where the route is allowed: 404 by default, lists of a patient that
   * does not exist included (issue 18, finding 9: "404, as the reads do"). A patient user gets 404 whatever the
   * staff answer, as for any record that is not theirs.
   */
  wrongKind?: number;
  call: (c: Case) => Promise<Call> | Call;
}

// ── Helpers that make records a call may change ───────────────────────────────────────────────────────────────
const PROVIDER = { id: '01KAXDEM0000000000000000P1', name: 'Dr. Rao' };
/** A path under the patient: for a record of another kind, a location's id stands where the patient's should. */
const chartPath = (c: Case, rest = '') =>
  `/v1/patients/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.chart.patientId}${rest}`;

async function created(
  method: string,
  path: string,
  user: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<any> {
  const res = await api(method, path, { user, body: body ?? {}, ...(headers ? { headers } : {}) });
  if (res.status < 200 || res.status > 202)
    throw new Error(`${method} ${path} as ${user}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const fresh = {
  encounter: (patientId: string) =>
    created('POST', `/v1/patients/${patientId}/encounters`, 'front-desk', {
      class: 'ambulatory',
      provider: PROVIDER,
      reason: 'Matrix visit',
    }),
  note: async (patientId: string, author: Role, encounterId: string) =>
    created('POST', `/v1/patients/${patientId}/notes`, author, { encounterId }),
  problem: (patientId: string) =>
    created('POST', `/v1/patients/${patientId}/problems`, 'clinician', {
      code: 'J45.909',
      display: 'Asthma',
    }),
  medication: (patientId: string) =>
    created('POST', `/v1/patients/${patientId}/medications`, 'clinician', {
      code: '197361',
      display: 'amlodipine 5 MG Oral Tablet',
    }),
  allergy: (patientId: string) =>
    created('POST', `/v1/patients/${patientId}/allergies`, 'nurse', {
      substance: { system: 'text', display: 'Latex' },
    }),
  vitals: (patientId: string) =>
    created('POST', `/v1/patients/${patientId}/vitals`, 'nurse', { heartRate: 70 }),
  lab: (patientId: string) =>
    created('POST', `/v1/patients/${patientId}/lab-results`, 'nurse', {
      code: '2345-7',
      display: 'Glucose',
      status: 'final',
      orderingProviderId: PROVIDER.id,
      issued: new Date(Date.now() - 60_000).toISOString(),
      results: [{ code: '2345-7', display: 'Glucose', value: 90, unit: 'mg/dL' }],
    }),
};

// ── Referrals ─────────────────────────────────────────────────────────────────────────────────────────────
const CARDIOLOGIST = '01KAXDEM000000000000000RD1';
const directoryBody = () => ({
  kind: 'organization',
  name: 'Matrix Cardiology',
  npi: uniqueNpi(),
  specialty: { code: '207RC0000X' },
});
/**
 * A referral of the chart's patient from its encounter. The packet leaves out vitals and allergies: the matrix
 * marks those records by id, and a referral names the ids it sent (its coordinator sees ids, not content).
 */
const referralBody = (chart: FullChart, draft = false) => ({
  encounterId: chart.ids.encounter,
  recipientId: CARDIOLOGIST,
  reason: { code: 'I48.91', text: 'Atrial fibrillation' },
  urgency: 'routine',
  clinicalQuestion: 'Matrix question',
  packet: { vitals: [], allergies: [] },
  draft,
});
/** A referral of its own for a call that will change it (a draft to send, a sent one to cancel). */
async function changeableReferral(c: Case, draft: boolean): Promise<{ id: string; version: number }> {
  if (c.target === 'wrong-kind') return { id: c.f.practice.locationId, version: 1 };
  if (!c.allowed) return { id: c.f.referralId, version: 1 };
  return created(
    'POST',
    `/v1/patients/${c.chart.patientId}/referrals`,
    'clinician',
    referralBody(c.chart, draft),
  );
}

/** Free slots of the practice's provider, handed out once each so concurrent calls never collide. */
const slots: string[] = [];
async function loadSlots(practice: Practice) {
  for (const days of [15, 16, 17, 18, 19, 20]) {
    const from = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const res = await api(
      'GET',
      `/v1/availability?providerId=${practice.providerId}&appointmentTypeId=${practice.typeId}&from=${from}&to=${from}`,
    );
    slots.push(...res.body.slots.map((s: { start: string }) => s.start));
  }
}
function nextSlot(): string {
  const slot = slots.shift();
  if (!slot) throw new Error('out of slots');
  return slot;
}

async function appointment(f: Fixtures, patientId: string, arrived = false): Promise<string> {
  const booked = await created('POST', '/v1/appointments', 'front-desk', {
    patientId,
    providerId: f.practice.providerId,
    appointmentTypeId: f.practice.typeId,
    start: nextSlot(),
  });
  if (arrived)
    await created(
      'POST',
      `/v1/appointments/${booked.id}/check-in`,
      'front-desk',
      {},
      ifMatch(booked.version),
    );
  return booked.id;
}

async function versionOf(path: string, user = 'admin'): Promise<string> {
  const res = await api('GET', path, { user });
  return (res.headers.get('etag') ?? '"1"').replaceAll('"', '');
}

// ── Chart routes follow one pattern: a collection and its records under the patient ─────────────────────────
type ChartKind = 'encounter' | 'problem' | 'medication' | 'allergy' | 'vitals' | 'lab';
const SEGMENT: Record<ChartKind, string> = {
  encounter: 'encounters',
  problem: 'problems',
  medication: 'medications',
  allergy: 'allergies',
  vitals: 'vitals',
  lab: 'lab-results',
};
const SHARED: Record<ChartKind, keyof FullChart['ids']> = {
  encounter: 'encounter',
  problem: 'problem',
  medication: 'medication',
  allergy: 'allergy',
  vitals: 'vitals',
  lab: 'finalLab',
};
const CREATE_BODY: Record<ChartKind, (c: Case) => unknown> = {
  encounter: () => ({ class: 'ambulatory', provider: PROVIDER, reason: 'Matrix visit' }),
  problem: () => ({ code: 'J45.909', display: 'Asthma' }),
  medication: () => ({ code: '197361', display: 'amlodipine 5 MG Oral Tablet' }),
  allergy: () => ({ substance: { system: 'text', display: 'Latex' } }),
  vitals: () => ({ heartRate: 70 }),
  lab: () => ({
    code: '2345-7',
    display: 'Glucose',
    status: 'final',
    orderingProviderId: PROVIDER.id,
    issued: new Date(Date.now() - 60_000).toISOString(),
    results: [{ code: '2345-7', display: 'Glucose', value: 90, unit: 'mg/dL' }],
  }),
};
const UPDATE_BODY: Record<ChartKind, unknown> = {
  encounter: { serviceCode: '99213' },
  problem: { note: 'Seasonal' },
  medication: { instructions: 'With food' },
  allergy: { criticality: 'low' },
  vitals: { heartRate: 71 },
  lab: { performer: 'Matrix Lab' },
};
const FRESH: Record<ChartKind, (patientId: string) => Promise<any>> = {
  encounter: fresh.encounter,
  problem: fresh.problem,
  medication: fresh.medication,
  allergy: fresh.allergy,
  vitals: fresh.vitals,
  lab: fresh.lab,
};

/** The record a call addresses: another kind's id, a fresh one it may change, or the chart's own. */
async function recordId(c: Case, kind: ChartKind, changes: boolean): Promise<string> {
  if (c.target === 'wrong-kind') return c.f.appointments.own;
  if (changes && c.allowed) return (await FRESH[kind](c.chart.patientId)).id;
  return c.chart.ids[SHARED[kind]];
}

function chartRoutes(
  kind: ChartKind,
  ops: { create: string; list: string; get: string; update: string },
  roles: { readers: Role[]; writers: Role[] },
): Record<string, Rule> {
  const base = (c: Case) =>
    `/v1/patients/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.chart.patientId}`;
  const item = async (c: Case, changes: boolean) =>
    `/v1/patients/${c.chart.patientId}/${SEGMENT[kind]}/${await recordId(c, kind, changes)}`;
  return {
    [ops.create]: {
      ...(kind === 'allergy' ? { lane: 'allergies' } : {}),
      roles: roles.writers,
      scope: 'patient',
      ok: 201,
      call: (c) => ({ path: `${base(c)}/${SEGMENT[kind]}`, body: CREATE_BODY[kind](c) }),
    },
    [ops.list]: {
      roles: roles.readers,
      scope: 'patient',
      ok: 200,
      call: (c) => ({ path: `${base(c)}/${SEGMENT[kind]}`, query: { limit: '50' } }),
    },
    [ops.get]: {
      roles: roles.readers,
      scope: 'patient',
      ok: 200,
      call: async (c) => ({ path: await item(c, false) }),
    },
    [ops.update]: {
      ...(kind === 'allergy' ? { lane: 'allergies' } : {}),
      roles: roles.writers,
      scope: 'patient',
      ok: 200,
      call: async (c) => ({ path: await item(c, true), body: UPDATE_BODY[kind], headers: ifMatch(1) }),
    },
  };
}

const CARE_TEAM: Role[] = ['clinician', 'nurse'];
const RECORD_READERS: Role[] = ['clinician', 'nurse', 'patient'];
const STAFF_NO_BILLING: Role[] = ['admin', 'front-desk', 'clinician', 'nurse'];
const SCHEDULE_READERS: Role[] = ['admin', 'front-desk', 'clinician', 'nurse', 'patient'];

// ── Billing: set-up data, a billed encounter per patient, claims and a batch, made once through the API ──────
const MANAGERS: Role[] = ['admin', 'billing'];
const PAYER_READERS: Role[] = ['admin', 'billing', 'front-desk'];
/** A patient's account: the billing office, the desk (copays) and admins; a patient their own. */
const ACCOUNT_READERS: Role[] = ['admin', 'billing', 'front-desk', 'patient'];
const CASHIERS: Role[] = ['admin', 'billing', 'front-desk'];
const COVERAGE_KEEPERS: Role[] = ['admin', 'billing', 'front-desk'];
const CHARGE_CAPTURE: Role[] = ['admin', 'billing', 'clinician', 'nurse'];
const BILLING_PROFILE = {
  name: 'Matrix Family Medicine',
  npi: uniqueNpi(),
  taxId: '12-3456789',
  taxonomy: '207Q00000X',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '62701-1234' },
  submitter: {
    id: 'MATRIX01',
    name: 'Matrix Family Medicine',
    contactName: 'Billing',
    phone: '217-555-0100',
  },
  receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
};
const PAYER_BODY = {
  name: 'Matrix Medicare',
  payerId: 'MTX01',
  filingIndicator: 'MB',
  timelyFilingDays: 365,
};
const CHARGES_BODY = {
  diagnoses: ['E11.9'],
  lines: [{ code: '99213', charge: 9500, diagnosisPointers: [1] }],
  renderingProvider: { name: { family: 'Rao', given: ['Asha'] }, npi: uniqueNpi() },
};
let feeCodes = Math.floor(Math.random() * 5000);
const freshFeeCode = () => `${String(1000 + (feeCodes++ % 8999)).padStart(4, '0')}T`;

interface BillingFixtures {
  payerId: string;
  coverages: { own: string; other: string };
  encounters: { own: string; other: string };
  claimId: string;
  batchId: string;
}
let billingFixtures: Promise<BillingFixtures> | undefined;

const billingPayer = async () => (await created('POST', '/v1/payers', 'billing', PAYER_BODY)).id as string;
const coverageFor = async (patientId: string, payerId: string) =>
  (
    await created('POST', `/v1/patients/${patientId}/coverages`, 'front-desk', {
      payerId,
      order: 'primary',
      memberId: 'MTX123456',
      relationship: 'self',
      start: '2020-01-01',
    })
  ).id as string;

/** A finished encounter whose note is signed: charges may be recorded on it. */
async function finishedEncounter(patientId: string): Promise<string> {
  const encounter = await fresh.encounter(patientId);
  await created(
    'POST',
    `/v1/patients/${patientId}/encounters/${encounter.id}/finish`,
    'clinician',
    {},
    ifMatch(1),
  );
  const note = await fresh.note(patientId, 'clinician', encounter.id);
  await created('POST', `/v1/patients/${patientId}/notes/${note.id}/sign`, 'clinician', {}, ifMatch(1));
  return encounter.id;
}

async function billedEncounter(patientId: string): Promise<string> {
  const encounterId = await finishedEncounter(patientId);
  await created(
    'PUT',
    `/v1/patients/${patientId}/encounters/${encounterId}/charges`,
    'billing',
    CHARGES_BODY,
    ifMatch(0),
  );
  return encounterId;
}

async function draftClaim(patientId: string): Promise<any> {
  return created('POST', '/v1/claims', 'billing', {
    patientId,
    encounterId: await billedEncounter(patientId),
  });
}

async function readyClaimOf(patientId: string): Promise<any> {
  const claim = await draftClaim(patientId);
  return created('POST', `/v1/claims/${claim.id}/ready`, 'billing', {}, ifMatch(1));
}

function billing(f: Fixtures): Promise<BillingFixtures> {
  billingFixtures ??= (async () => {
    const profile = await api('GET', '/v1/billing/profile', { user: 'admin' });
    if (profile.status === 404) {
      const put = await api('PUT', '/v1/billing/profile', {
        user: 'admin',
        body: BILLING_PROFILE,
        headers: ifMatch(0),
      });
      if (put.status !== 201 && put.status !== 412) throw new Error(`billing profile: ${put.status}`);
    }
    const payerId = await billingPayer();
    const coverages = {
      own: await coverageFor(f.own.patientId, payerId),
      other: await coverageFor(f.other.patientId, payerId),
    };
    const encounters = {
      own: await billedEncounter(f.own.patientId),
      other: await billedEncounter(f.other.patientId),
    };
    const claim = await created('POST', '/v1/claims', 'billing', {
      patientId: f.own.patientId,
      encounterId: encounters.own,
    });
    const batch = await created('POST', '/v1/claim-batches', 'billing', {
      claimIds: [(await readyClaimOf(f.own.patientId)).id],
    });
    return { payerId, coverages, encounters, claimId: claim.id, batchId: batch.id };
  })();
  return billingFixtures;
}

const whose = (c: Case) => (c.target === 'other' ? 'other' : 'own');
/** A claim path: another kind's id, a fresh claim of its own when the call changes it, or the shared draft. */
async function claimPath(c: Case, rest = '', changes = false, ready = false): Promise<string> {
  const b = await billing(c.f);
  if (c.target === 'wrong-kind') return `/v1/claims/${c.f.practice.locationId}${rest}`;
  const id =
    changes && c.allowed ? (await (ready ? readyClaimOf : draftClaim)(c.f.own.patientId)).id : b.claimId;
  return `/v1/claims/${id}${rest}`;
}
/** A lifecycle step on a claim: fresh when allowed, with its If-Match. */
async function claimStep(c: Case, step: string, body: unknown = {}) {
  const path = await claimPath(c, `/${step}`, true);
  return { path, body, headers: ifMatch(1) };
}

/** The documented rule of every operation: who may call it, on what, and what a successful call answers. */
const RULES: Record<string, Rule> = {
  // ── System (public) ─────────────────────────────────────────────────────────────────────────────────────
  getHealth: { roles: 'public', scope: 'none', ok: 200, alsoOk: [503], call: () => ({ path: '/health' }) },
  // Component URLs name the user pool and the datastore: admins only (issue 19).
  getHealthDetails: {
    roles: ['admin'],
    scope: 'none',
    ok: 200,
    alsoOk: [503],
    call: () => ({ path: '/v1/health' }),
  },
  getOpenApi: { roles: 'public', scope: 'none', ok: 200, call: () => ({ path: '/openapi.json' }) },
  getDocs: { roles: 'public', scope: 'none', ok: 200, call: () => ({ path: '/docs' }) },
  getDocsAsset: { roles: 'public', scope: 'none', ok: 200, call: () => ({ path: '/docs/init.js' }) },

  // ── Patients ────────────────────────────────────────────────────────────────────────────────────────────
  createPatient: {
    roles: STAFF_NO_BILLING,
    scope: 'none',
    ok: 201,
    call: () => ({ path: '/v1/patients', body: newPatientBody() }),
  },
  getPatient: {
    roles: [...STAFF_NO_BILLING, 'billing', 'patient'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c) }),
  },
  searchPatients: {
    roles: [...STAFF_NO_BILLING, 'billing'],
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/patients', query: { family: 'Test', limit: '5' } }),
  },
  updatePatient: {
    lane: 'updatePatient',
    roles: STAFF_NO_BILLING,
    scope: 'patient',
    ok: 200,
    call: async (c) => ({
      path: chartPath(c),
      body: { preferredLanguage: 'en' },
      headers: ifMatch(c.allowed ? await versionOf(chartPath(c)) : 1),
    }),
  },

  // ── Scheduling: the practice's set-up ───────────────────────────────────────────────────────────────────
  createLocation: {
    roles: ['admin'],
    scope: 'none',
    ok: 201,
    call: () => ({
      path: '/v1/locations',
      body: { name: 'Matrix Clinic', address: { line: ['2 Main St'], city: 'Springfield' }, timeZone: 'UTC' },
    }),
  },
  getLocation: {
    roles: SCHEDULE_READERS,
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/locations/${c.target === 'wrong-kind' ? c.f.practice.providerId : c.f.practice.locationId}`,
    }),
  },
  listLocations: { roles: SCHEDULE_READERS, scope: 'none', ok: 200, call: () => ({ path: '/v1/locations' }) },
  createProvider: {
    roles: ['admin'],
    scope: 'none',
    ok: 201,
    call: (c) => ({
      path: '/v1/providers',
      body: {
        name: { given: ['Matrix'], family: 'Provider' },
        npi: uniqueNpi(),
        specialty: 'Family medicine',
        locationIds: [c.f.practice.locationId],
      },
    }),
  },
  getProvider: {
    roles: SCHEDULE_READERS,
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/providers/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.practice.providerId}`,
    }),
  },
  listProviders: { roles: SCHEDULE_READERS, scope: 'none', ok: 200, call: () => ({ path: '/v1/providers' }) },
  createAppointmentType: {
    roles: ['admin'],
    scope: 'none',
    ok: 201,
    call: () => ({ path: '/v1/appointment-types', body: { name: 'Matrix visit', durationMinutes: 15 } }),
  },
  getAppointmentType: {
    roles: SCHEDULE_READERS,
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/appointment-types/${c.target === 'wrong-kind' ? c.f.practice.providerId : c.f.practice.typeId}`,
    }),
  },
  listAppointmentTypes: {
    roles: SCHEDULE_READERS,
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/appointment-types' }),
  },
  getSchedule: {
    roles: STAFF_NO_BILLING,
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/providers/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.practice.providerId}/schedule`,
    }),
  },
  putSchedule: {
    lane: 'putSchedule',
    roles: ['admin', 'front-desk'],
    scope: 'record',
    ok: 200,
    call: async (c) => {
      const path = `/v1/providers/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.spareProviderIds.schedule}/schedule`;
      return {
        path,
        body: { locationId: c.f.practice.locationId, weekly: [{ day: 'mon', start: '09:00', end: '12:00' }] },
        headers: ifMatch(c.allowed ? await versionOf(path) : 1),
      };
    },
  },
  addScheduleException: {
    lane: 'addScheduleException',
    roles: ['admin', 'front-desk'],
    scope: 'record',
    ok: 201,
    call: (c) => ({
      path: `/v1/providers/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.spareProviderIds.exceptions}/schedule/exceptions`,
      body: {
        date: nextWeekday(1, 60 + Math.floor(Math.random() * 300)),
        kind: 'time-off',
        reason: 'Matrix',
      },
    }),
  },
  getAvailability: {
    roles: SCHEDULE_READERS,
    scope: 'none',
    ok: 200,
    call: (c) => {
      const day = nextWeekday(3, 14);
      return {
        path: '/v1/availability',
        query: {
          providerId: c.f.practice.providerId,
          appointmentTypeId: c.f.practice.typeId,
          from: day,
          to: day,
        },
      };
    },
  },

  // ── Scheduling: appointments (the patient is in the body or in the stored appointment) ──────────────────
  createHold: {
    roles: ['admin', 'front-desk', 'patient'],
    scope: 'patient',
    ok: 201,
    wrongKind: 422,
    call: (c) => ({
      path: '/v1/appointment-holds',
      body: {
        providerId: c.f.practice.providerId,
        appointmentTypeId: c.f.practice.typeId,
        start: c.allowed || c.target === 'wrong-kind' ? nextSlot() : '2030-01-07T14:00:00Z',
        patientId: c.target === 'wrong-kind' ? c.f.practice.locationId : c.chart.patientId,
      },
    }),
  },
  bookAppointment: {
    roles: ['admin', 'front-desk', 'patient'],
    scope: 'patient',
    ok: 201,
    wrongKind: 422,
    call: (c) => ({
      path: '/v1/appointments',
      body: {
        patientId: c.target === 'wrong-kind' ? c.f.practice.locationId : c.chart.patientId,
        providerId: c.f.practice.providerId,
        appointmentTypeId: c.f.practice.typeId,
        start: c.allowed || c.target === 'wrong-kind' ? nextSlot() : '2030-01-07T14:00:00Z',
      },
    }),
  },
  getAppointment: {
    roles: SCHEDULE_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: `/v1/appointments/${appointmentOf(c)}` }),
  },
  rescheduleAppointment: {
    roles: ['admin', 'front-desk'],
    scope: 'patient',
    ok: 200,
    call: (c) =>
      appointmentAction(c, 'reschedule', { start: c.allowed ? nextSlot() : '2030-01-07T14:00:00Z' }),
  },
  cancelAppointment: {
    roles: ['admin', 'front-desk', 'patient'],
    scope: 'patient',
    ok: 200,
    call: (c) => appointmentAction(c, 'cancel', { reason: 'Matrix' }),
  },
  checkInAppointment: {
    roles: STAFF_NO_BILLING,
    scope: 'patient',
    ok: 200,
    call: (c) => appointmentAction(c, 'check-in', {}),
  },
  noShowAppointment: {
    roles: ['admin', 'front-desk'],
    scope: 'patient',
    ok: 200,
    call: (c) => appointmentAction(c, 'no-show', {}),
  },
  completeAppointment: {
    roles: STAFF_NO_BILLING,
    scope: 'patient',
    ok: 200,
    call: (c) => appointmentAction(c, 'complete', {}, true),
  },
  listProviderAppointments: {
    roles: STAFF_NO_BILLING,
    scope: 'record',
    ok: 200,
    // A calendar query: an id that is no provider has no appointments (not one of issue 18's patient lists).
    wrongKind: 200,
    call: (c) => {
      const day = nextWeekday(3, 14);
      return {
        path: `/v1/providers/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.practice.providerId}/appointments`,
        query: { from: day, to: day },
      };
    },
  },
  listLocationAppointments: {
    roles: STAFF_NO_BILLING,
    scope: 'record',
    ok: 200,
    wrongKind: 200,
    call: (c) => ({
      path: `/v1/locations/${c.target === 'wrong-kind' ? c.f.practice.providerId : c.f.practice.locationId}/appointments`,
      query: { date: nextWeekday(3, 14) },
    }),
  },
  listPatientAppointments: {
    roles: SCHEDULE_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/appointments') }),
  },

  // ── Charting ────────────────────────────────────────────────────────────────────────────────────────────
  ...chartRoutes(
    'encounter',
    { create: 'createEncounter', list: 'listEncounters', get: 'getEncounter', update: 'updateEncounter' },
    {
      readers: ['clinician', 'nurse', 'front-desk', 'billing'],
      writers: ['clinician', 'nurse', 'front-desk'],
    },
  ),
  finishEncounter: {
    roles: ['clinician', 'nurse', 'front-desk'],
    scope: 'patient',
    ok: 200,
    call: async (c) => ({
      path: `/v1/patients/${c.chart.patientId}/encounters/${await recordId(c, 'encounter', true)}/finish`,
      headers: ifMatch(1),
    }),
  },
  createNote: {
    roles: CARE_TEAM,
    scope: 'patient',
    ok: 201,
    // The encounter named is checked first, and it is not this (missing) patient's: 422 body.encounterId.
    wrongKind: 422,
    call: (c) => ({ path: chartPath(c, '/notes'), body: { encounterId: c.chart.ids.encounter } }),
  },
  listNotes: {
    roles: ['clinician', 'nurse', 'billing', 'patient'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/notes'), query: { limit: '50' } }),
  },
  getNote: {
    roles: ['clinician', 'nurse', 'billing', 'patient'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: `/v1/patients/${c.chart.patientId}/notes/${noteOf(c, 'signedNote')}` }),
  },
  updateNote: {
    roles: CARE_TEAM,
    scope: 'patient',
    ok: 200,
    // The caller's own draft: a draft is edited by its author (note-authorship.e2e.test.ts covers the others).
    call: async (c) => ({
      path: `/v1/patients/${c.chart.patientId}/notes/${c.allowed ? (await fresh.note(c.chart.patientId, c.role, c.chart.ids.encounter)).id : noteOf(c, 'draftNote')}`,
      body: { plan: 'Matrix plan' },
      headers: ifMatch(1),
    }),
  },
  signNote: {
    roles: ['clinician'],
    scope: 'patient',
    ok: 200,
    call: async (c) => ({
      path: `/v1/patients/${c.chart.patientId}/notes/${c.allowed ? (await fresh.note(c.chart.patientId, 'clinician', c.chart.ids.encounter)).id : noteOf(c, 'draftNote')}/sign`,
      headers: ifMatch(1),
    }),
  },
  addAddendum: {
    roles: ['clinician'],
    scope: 'patient',
    ok: 201,
    call: (c) => ({
      path: `/v1/patients/${c.chart.patientId}/notes/${noteOf(c, 'signedNote')}/addenda`,
      body: { text: 'Matrix addendum' },
    }),
  },
  listNoteTemplates: {
    roles: CARE_TEAM,
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/note-templates' }),
  },
  createNoteTemplate: {
    roles: CARE_TEAM,
    scope: 'none',
    ok: 201,
    call: () => ({ path: '/v1/note-templates', body: { name: 'Matrix template', specialty: 'Testing' } }),
  },
  ...chartRoutes(
    'problem',
    { create: 'createProblem', list: 'listProblems', get: 'getProblem', update: 'updateProblem' },
    { readers: RECORD_READERS, writers: CARE_TEAM },
  ),
  ...chartRoutes(
    'medication',
    {
      create: 'createMedication',
      list: 'listMedications',
      get: 'getMedication',
      update: 'updateMedication',
    },
    { readers: RECORD_READERS, writers: CARE_TEAM },
  ),
  ...chartRoutes(
    'allergy',
    { create: 'createAllergy', list: 'listAllergies', get: 'getAllergy', update: 'updateAllergy' },
    { readers: RECORD_READERS, writers: CARE_TEAM },
  ),
  ...chartRoutes(
    'vitals',
    { create: 'createVitals', list: 'listVitals', get: 'getVitals', update: 'updateVitals' },
    { readers: RECORD_READERS, writers: CARE_TEAM },
  ),
  ...chartRoutes(
    'lab',
    { create: 'createLabResult', list: 'listLabResults', get: 'getLabResult', update: 'updateLabResult' },
    { readers: RECORD_READERS, writers: CARE_TEAM },
  ),
  reviewLabResult: {
    roles: CARE_TEAM,
    scope: 'patient',
    ok: 200,
    call: async (c) => ({
      path: `/v1/patients/${c.chart.patientId}/lab-results/${await recordId(c, 'lab', true)}/review`,
      body: { comment: 'Matrix review' },
      headers: ifMatch(1),
    }),
  },
  listResultsInbox: {
    roles: CARE_TEAM,
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/inbox/results', query: { providerId: PROVIDER.id, limit: '100' } }),
  },
  getChart: {
    roles: RECORD_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/chart') }),
  },
  getTimeline: {
    roles: ['clinician', 'nurse', 'front-desk', 'billing', 'patient'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/timeline'), query: { limit: '100' } }),
  },

  // ── Sharing ─────────────────────────────────────────────────────────────────────────────────────────────
  getSharing: {
    roles: ['admin', 'clinician', 'nurse', 'front-desk', 'patient'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/sharing') }),
  },
  putSharing: {
    lane: 'putSharing',
    roles: ['admin', 'front-desk', 'clinician', 'patient'],
    scope: 'patient',
    ok: 200,
    call: async (c) => ({
      path: chartPath(c, '/sharing'),
      body: { mode: 'categories', categories: ['demographics'] },
      headers: ifMatch(c.allowed ? await versionOf(chartPath(c, '/sharing'), 'front-desk') : 1),
    }),
  },
  backfillSharing: {
    roles: ['admin', 'front-desk', 'clinician'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/sharing/backfill'), body: {} }),
  },
  getLongitudinal: {
    roles: RECORD_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/longitudinal') }),
  },
  startExport: { roles: ['admin'], scope: 'none', ok: 202, call: () => ({ path: '/v1/exports', body: {} }) },
  getExport: {
    roles: ['admin'],
    scope: 'record',
    ok: 200,
    call: (c) => ({ path: `/v1/exports/${c.target === 'wrong-kind' ? c.chart.patientId : c.f.exportId}` }),
  },

  // ── Referrals ───────────────────────────────────────────────────────────────────────────────────────────
  createDirectoryEntry: {
    roles: ['admin', 'front-desk'],
    scope: 'none',
    ok: 201,
    call: () => ({ path: '/v1/directory', body: directoryBody() }),
  },
  searchDirectory: {
    roles: ['admin', 'front-desk', 'clinician', 'nurse'],
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/directory', query: { specialty: '207RC0000X' } }),
  },
  getDirectoryEntry: {
    roles: ['admin', 'front-desk', 'clinician', 'nurse'],
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/directory/${c.target === 'wrong-kind' ? c.f.practice.locationId : CARDIOLOGIST}`,
    }),
  },
  updateDirectoryEntry: {
    roles: ['admin', 'front-desk'],
    scope: 'record',
    ok: 200,
    call: async (c) => {
      const body = directoryBody();
      const id =
        c.target === 'wrong-kind'
          ? c.f.practice.locationId
          : c.allowed
            ? (await created('POST', '/v1/directory', 'admin', body)).id
            : CARDIOLOGIST;
      return { path: `/v1/directory/${id}`, body, headers: ifMatch(1) };
    },
  },
  createReferral: {
    roles: ['clinician'],
    scope: 'patient',
    ok: 201,
    call: (c) => ({ path: chartPath(c, '/referrals'), body: referralBody(c.chart) }),
  },
  listReferrals: {
    roles: ['front-desk', 'clinician', 'nurse'],
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/referrals', query: { direction: 'outbound', limit: '5' } }),
  },
  getReferralMetrics: {
    roles: ['admin', 'front-desk', 'clinician'],
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/referrals/metrics' }),
  },
  getReferral: {
    roles: ['front-desk', 'clinician', 'nurse'],
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/referrals/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.referralId}`,
    }),
  },
  getReferralPacket: {
    roles: ['clinician', 'nurse'],
    scope: 'record',
    ok: 200,
    call: (c) => ({
      path: `/v1/referrals/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.referralId}/packet`,
      query: { format: 'ccda' },
    }),
  },
  // No consult note has come back for the matrix's referral (referrals-exchange.e2e.test.ts returns one): the
  // allowed answer is the route's documented 404, the denied one 403.
  getReferralConsultNote: {
    roles: ['clinician', 'nurse'],
    scope: 'record',
    ok: 404,
    call: (c) => ({
      path: `/v1/referrals/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.f.referralId}/consult-note`,
    }),
  },
  sendReferral: {
    roles: ['clinician'],
    scope: 'record',
    ok: 200,
    call: async (c) => {
      const r = await changeableReferral(c, true);
      return { path: `/v1/referrals/${r.id}/send`, body: {}, headers: ifMatch(r.version) };
    },
  },
  cancelReferral: {
    roles: ['front-desk', 'clinician'],
    scope: 'record',
    ok: 200,
    call: async (c) => {
      const r = await changeableReferral(c, false);
      return {
        path: `/v1/referrals/${r.id}/cancel`,
        body: { reason: 'Matrix' },
        headers: ifMatch(r.version),
      };
    },
  },
  // A sent referral cannot be closed yet (the consult note or a decline closes it): the allowed answer is 409.
  closeReferral: {
    roles: ['front-desk', 'clinician'],
    scope: 'record',
    ok: 409,
    call: async (c) => {
      const r = await changeableReferral(c, false);
      return { path: `/v1/referrals/${r.id}/close`, body: {}, headers: ifMatch(r.version) };
    },
  },
  // ── External providers: own is the referral granted to the demo external provider, other a referral of the
  // other patient sent to another practitioner (docs/referrals.md; expiry and cancellation: external-providers.e2e)
  listExternalReferrals: {
    roles: ['external-provider'],
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/external/referrals' }),
  },
  getExternalReferral: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: externalPath(c) }),
  },
  getExternalReferralPacket: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: externalPath(c, '/packet'), query: { format: 'ccda' } }),
  },
  getExternalReferralPatient: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: externalPath(c, '/patient') }),
  },
  acceptExternalReferral: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: async (c) => externalAnswer(c, 'accept', {}),
  },
  declineExternalReferral: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: async (c) => externalAnswer(c, 'decline', { reason: 'Matrix' }),
  },
  scheduleExternalReferral: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: async (c) => externalAnswer(c, 'schedule', { appointmentDate: '2027-01-04' }, true),
  },
  returnConsultNote: {
    roles: ['external-provider'],
    scope: 'patient',
    ok: 200,
    call: async (c) => externalAnswer(c, 'consult-note', { text: 'Matrix consult' }, true),
  },
  listReceivedDocuments: {
    roles: CARE_TEAM,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/received-documents') }),
  },
  getReceivedDocument: {
    roles: CARE_TEAM,
    scope: 'patient',
    ok: 200,
    call: (c) => ({
      path: `/v1/patients/${c.chart.patientId}/received-documents/${c.target === 'wrong-kind' ? c.chart.patientId : c.f.receivedDocumentIds[c.target === 'other' ? 'other' : 'own']}`,
    }),
  },

  // ── Inbound referrals: of no patient until accepted; `own` is a referral on the worklist ─────────────────
  receiveInboundReferral: {
    roles: ['admin', 'front-desk', 'clinician'],
    scope: 'none',
    ok: 201,
    call: () => ({ path: '/v1/inbound-referrals', body: SAMPLE_INBOUND }),
  },
  listInboundReferrals: {
    roles: ['front-desk', 'clinician', 'nurse'],
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/inbound-referrals' }),
  },
  getInboundReferral: {
    roles: ['front-desk', 'clinician', 'nurse'],
    scope: 'record',
    ok: 200,
    call: (c) => ({ path: inboundPath(c) }),
  },
  matchInboundReferral: {
    roles: ['front-desk', 'clinician'],
    scope: 'record',
    ok: 200,
    call: (c) => ({ path: inboundPath(c, '/matches') }),
  },
  acceptInboundReferral: {
    roles: ['front-desk', 'clinician'],
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: await freshInboundPath(c, '/accept'),
      body: { register: true },
      headers: ifMatch(1),
    }),
  },
  declineInboundReferral: {
    roles: ['front-desk', 'clinician'],
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: await freshInboundPath(c, '/decline'),
      body: { reason: 'Matrix' },
      headers: ifMatch(1),
    }),
  },

  // ── Audit ───────────────────────────────────────────────────────────────────────────────────────────────
  listAudit: {
    roles: ['admin'],
    scope: 'none',
    ok: 200,
    call: (c) => ({ path: '/v1/audit', query: { patientId: c.chart.patientId, limit: '100' } }),
  },

  // ── Billing ──────────────────────────────────────────────────────────────────────────────────────────────
  getBillingProfile: {
    roles: MANAGERS,
    scope: 'none',
    ok: 200,
    call: async (c) => {
      await billing(c.f);
      return { path: '/v1/billing/profile' };
    },
  },
  putBillingProfile: {
    lane: 'billingProfile',
    roles: MANAGERS,
    scope: 'none',
    ok: 200,
    call: async (c) => {
      await billing(c.f);
      return {
        path: '/v1/billing/profile',
        body: BILLING_PROFILE,
        headers: ifMatch(c.allowed ? await versionOf('/v1/billing/profile') : 1),
      };
    },
  },
  createPayer: {
    roles: MANAGERS,
    scope: 'none',
    ok: 201,
    call: () => ({ path: '/v1/payers', body: PAYER_BODY }),
  },
  listPayers: { roles: PAYER_READERS, scope: 'none', ok: 200, call: () => ({ path: '/v1/payers' }) },
  getPayer: {
    roles: PAYER_READERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: `/v1/payers/${c.target === 'wrong-kind' ? c.f.practice.locationId : (await billing(c.f)).payerId}`,
    }),
  },
  updatePayer: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: `/v1/payers/${c.target === 'wrong-kind' ? c.f.practice.locationId : c.allowed ? await billingPayer() : (await billing(c.f)).payerId}`,
      body: { timelyFilingDays: 180 },
      headers: ifMatch(1),
    }),
  },
  listFeeSchedule: {
    roles: CHARGE_CAPTURE,
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/fee-schedule' }),
  },
  putFeeScheduleEntry: {
    roles: MANAGERS,
    scope: 'none',
    ok: 201,
    call: () => ({ path: `/v1/fee-schedule/${freshFeeCode()}`, body: { charge: 5000 }, headers: ifMatch(0) }),
  },
  createCoverage: {
    roles: COVERAGE_KEEPERS,
    scope: 'patient',
    ok: 201,
    call: async (c) => ({
      path: chartPath(c, '/coverages'),
      body: {
        payerId: (await billing(c.f)).payerId,
        order: 'secondary',
        memberId: 'MTX2',
        relationship: 'self',
        start: '2024-01-01',
      },
    }),
  },
  listCoverages: {
    roles: COVERAGE_KEEPERS,
    scope: 'patient',
    ok: 200,
    call: async (c) => {
      await billing(c.f);
      return { path: chartPath(c, '/coverages') };
    },
  },
  getCoverage: {
    roles: COVERAGE_KEEPERS,
    scope: 'patient',
    ok: 200,
    call: async (c) => ({ path: chartPath(c, `/coverages/${(await billing(c.f)).coverages[whose(c)]}`) }),
  },
  updateCoverage: {
    roles: COVERAGE_KEEPERS,
    scope: 'patient',
    ok: 200,
    call: async (c) => {
      const b = await billing(c.f);
      const id = c.allowed ? await coverageFor(c.chart.patientId, b.payerId) : b.coverages[whose(c)];
      return { path: chartPath(c, `/coverages/${id}`), body: { groupNumber: 'G-1' }, headers: ifMatch(1) };
    },
  },
  endCoverage: {
    roles: COVERAGE_KEEPERS,
    scope: 'patient',
    ok: 200,
    call: async (c) => {
      const b = await billing(c.f);
      const id = c.allowed ? await coverageFor(c.chart.patientId, b.payerId) : b.coverages[whose(c)];
      return { path: chartPath(c, `/coverages/${id}/end`), body: { end: '2030-12-31' }, headers: ifMatch(1) };
    },
  },
  getEncounterCharges: {
    roles: CHARGE_CAPTURE,
    scope: 'patient',
    ok: 200,
    call: async (c) => ({
      path: chartPath(c, `/encounters/${(await billing(c.f)).encounters[whose(c)]}/charges`),
    }),
  },
  putEncounterCharges: {
    roles: CHARGE_CAPTURE,
    scope: 'patient',
    ok: 201,
    call: async (c) => {
      const b = await billing(c.f);
      const id = c.allowed ? await finishedEncounter(c.chart.patientId) : b.encounters[whose(c)];
      return { path: chartPath(c, `/encounters/${id}/charges`), body: CHARGES_BODY, headers: ifMatch(0) };
    },
  },
  createClaim: {
    roles: MANAGERS,
    scope: 'patient',
    ok: 201,
    // The patient is in the body: another kind's id has no charges to bill (422 naming body.encounterId).
    wrongKind: 422,
    call: async (c) => {
      const b = await billing(c.f);
      const patientId = c.target === 'wrong-kind' ? c.f.practice.locationId : c.chart.patientId;
      const encounterId = c.allowed ? await billedEncounter(c.chart.patientId) : b.encounters[whose(c)];
      return { path: '/v1/claims', body: { patientId, encounterId } };
    },
  },
  listClaims: {
    roles: MANAGERS,
    scope: 'none',
    ok: 200,
    call: async (c) => {
      await billing(c.f);
      return { path: '/v1/claims', query: { status: 'draft', limit: '5' } };
    },
  },
  getClaim: { roles: MANAGERS, scope: 'record', ok: 200, call: async (c) => ({ path: await claimPath(c) }) },
  updateClaim: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: await claimPath(c, '', true),
      body: { priorAuthorization: 'PA-1' },
      headers: ifMatch(1),
    }),
  },
  checkClaim: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({ path: await claimPath(c, '/check') }),
  },
  readyClaim: { roles: MANAGERS, scope: 'record', ok: 200, call: (c) => claimStep(c, 'ready') },
  voidClaim: { roles: MANAGERS, scope: 'record', ok: 200, call: (c) => claimStep(c, 'void') },
  // Correcting, appealing, closing and writing off follow a payer's answer, which only a remittance brings: a draft
  // answers 409 (the step is not open yet) to every role that may take it, 403 to the others.
  correctClaim: { roles: MANAGERS, scope: 'record', ok: 409, call: (c) => claimStep(c, 'correct') },
  appealClaim: { roles: MANAGERS, scope: 'record', ok: 409, call: (c) => claimStep(c, 'appeal') },
  closeClaim: { roles: MANAGERS, scope: 'record', ok: 409, call: (c) => claimStep(c, 'close') },
  writeOffClaim: {
    roles: MANAGERS,
    scope: 'record',
    ok: 409,
    call: (c) => claimStep(c, 'write-off', { amount: 100, reason: 'Matrix' }),
  },
  createClaimBatch: {
    roles: MANAGERS,
    scope: 'none',
    ok: 201,
    call: async (c) => ({
      path: '/v1/claim-batches',
      body: {
        claimIds: [c.allowed ? (await readyClaimOf(c.f.own.patientId)).id : (await billing(c.f)).claimId],
      },
    }),
  },
  getClaimBatch: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: `/v1/claim-batches/${c.target === 'wrong-kind' ? c.f.practice.locationId : (await billing(c.f)).batchId}`,
    }),
  },
  getClaimBatchFile: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: `/v1/claim-batches/${c.target === 'wrong-kind' ? c.f.practice.locationId : (await billing(c.f)).batchId}/x12`,
    }),
  },
  // The runtime's local clearinghouse is the EDI outbox: the batch was sent, and sending it again hands the same file over.
  sendClaimBatch: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({
      path: `/v1/claim-batches/${c.target === 'wrong-kind' ? c.f.practice.locationId : (await billing(c.f)).batchId}/send`,
    }),
  },

  // ── Billing: accounts, remittances, denials, reports ─────────────────────────────────────────────────────
  getLedger: {
    roles: ACCOUNT_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/ledger') }),
  },
  createPatientPayment: {
    roles: CASHIERS,
    scope: 'patient',
    ok: 201,
    call: (c) => ({
      path: chartPath(c, '/payments'),
      body: { method: 'cash', amount: 100 },
      headers: { 'Idempotency-Key': `matrix-${crypto.randomUUID()}` },
    }),
  },
  getStatement: {
    roles: ACCOUNT_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/statement') }),
  },
  getStatementPdf: {
    roles: ACCOUNT_READERS,
    scope: 'patient',
    ok: 200,
    call: (c) => ({ path: chartPath(c, '/statement/pdf') }),
  },
  ingestRemittance: {
    roles: MANAGERS,
    scope: 'none',
    ok: 201,
    call: () => ({
      path: '/v1/remittances',
      rawBody: emptyRemittance(),
      headers: { 'Content-Type': 'application/edi-x12' },
    }),
  },
  listDenials: { roles: MANAGERS, scope: 'none', ok: 200, call: () => ({ path: '/v1/denials' }) },
  getBillingReports: {
    roles: MANAGERS,
    scope: 'none',
    ok: 200,
    call: () => ({ path: '/v1/billing/reports' }),
  },
  getCms1500: {
    roles: MANAGERS,
    scope: 'record',
    ok: 200,
    call: async (c) => ({ path: await claimPath(c, '/cms-1500') }),
  },
};

const SAMPLE_INBOUND = receiveInboundReferral.example.body;

/** The shared inbound referral, or (another kind) a patient's id in its place. */
function inboundPath(c: Case, rest = ''): string {
  return `/v1/inbound-referrals/${c.target === 'wrong-kind' ? c.chart.patientId : c.f.inboundReferralId}${rest}`;
}

/** A fresh inbound referral for a call allowed to answer it; the shared one otherwise. */
async function freshInboundPath(c: Case, rest: string): Promise<string> {
  if (!c.allowed || c.target !== 'own') return inboundPath(c, rest);
  const inbound = await created('POST', '/v1/inbound-referrals', 'front-desk', SAMPLE_INBOUND);
  return `/v1/inbound-referrals/${inbound.id}${rest}`;
}

/** The referral a call addresses: own's granted one, other's, or (another kind) the patient's id. */
function externalPath(c: Case, rest = ''): string {
  const id =
    c.target === 'wrong-kind' ? c.chart.patientId : c.f.referrals[c.target === 'other' ? 'other' : 'own'].id;
  return `/v1/external/referrals/${id}${rest}`;
}

/** An answer to a fresh referral of its own when the call is allowed (accepted first when `accepted`). */
async function externalAnswer(c: Case, action: string, body: unknown, accepted = false): Promise<Call> {
  if (!c.allowed || c.target !== 'own')
    return { path: externalPath(c, `/${action}`), body, headers: ifMatch(1) };
  const { referral } = await sentReferral(c.chart.patientId);
  let version = 1;
  if (accepted) {
    await created(
      'POST',
      `/v1/external/referrals/${referral.id}/accept`,
      'external-provider',
      {},
      ifMatch(1),
    );
    version = 2;
  }
  return { path: `/v1/external/referrals/${referral.id}/${action}`, body, headers: ifMatch(version) };
}

/** A consult note returned for the patient by the demo external provider: its received document's id. */
async function receivedDocument(patientId: string): Promise<string> {
  const noted = (await sentReferral(patientId)).referral;
  await created('POST', `/v1/external/referrals/${noted.id}/accept`, 'external-provider', {}, ifMatch(1));
  await created(
    'POST',
    `/v1/external/referrals/${noted.id}/consult-note`,
    'external-provider',
    { text: 'Matrix consult note' },
    ifMatch(2),
  );
  const documents = await api('GET', `/v1/patients/${patientId}/received-documents`, { user: 'clinician' });
  return documents.body.items[0].id;
}

/** An 835 with no claims and a fresh trace number: it balances (0 = 0) and posts nothing but itself. */
function emptyRemittance(): string {
  const trace = `MATRIX-${crypto.randomUUID().slice(0, 8)}`;
  return [
    'ISA*00*          *00*          *ZZ*MATRIXPAYER    *ZZ*MATRIX01       *261210*0900*^*00501*000000321*0*T*:',
    'GS*HP*MATRIXPAYER*MATRIX01*20261210*0900*321*X*005010X221A1',
    'ST*835*0001*005010X221A1',
    'BPR*H*0*C*NON************20261210',
    `TRN*1*${trace}*1512345678`,
    'N1*PR*MATRIX PAYER',
    'N1*PE*MATRIX FAMILY MEDICINE*XX*1234567893',
    'SE*6*0001',
    'GE*1*321',
    'IEA*1*000000321',
  ].join('~');
}

function noteOf(c: Case, kind: 'signedNote' | 'draftNote'): string {
  return c.target === 'wrong-kind' ? c.f.appointments.own : c.chart.ids[kind];
}

function appointmentOf(c: Case): string {
  if (c.target === 'wrong-kind') return c.chart.ids.encounter;
  return c.target === 'own' ? c.f.appointments.own : c.f.appointments.other;
}

/** A booked (or arrived) appointment of its own for a call that will change it; the shared one otherwise. */
async function changeableAppointment(c: Case, arrived = false): Promise<string> {
  if (c.target === 'wrong-kind' || !c.allowed) return appointmentOf(c);
  return appointment(c.f, c.chart.patientId, arrived);
}

/** An appointment action: a fresh appointment when the call is allowed, with the If-Match every change needs. */
async function appointmentAction(c: Case, action: string, body: unknown, arrived = false) {
  const id = await changeableAppointment(c, arrived);
  const allowed = c.allowed && c.target !== 'wrong-kind';
  return {
    path: `/v1/appointments/${id}/${action}`,
    body,
    headers: ifMatch(allowed ? await versionOf(`/v1/appointments/${id}`) : 1),
  };
}

// ── The matrix ──────────────────────────────────────────────────────────────────────────────────────────────
const TARGETS: Record<Rule['scope'], Target[]> = {
  patient: ['own', 'other', 'wrong-kind'],
  record: ['own', 'wrong-kind'],
  none: ['own'],
};

/** What the rule says this call answers. */
function expectedStatus(rule: Rule, role: Role, target: Target): number {
  if (rule.roles === 'public') return rule.ok;
  if (!rule.roles.includes(role)) return 403;
  if (target === 'wrong-kind')
    return role === 'patient' && rule.wrongKind === 422 ? 404 : (rule.wrongKind ?? 404);
  // A patient sees only its own record; an external provider only the referral granted to it.
  if (target === 'other' && (role === 'patient' || role === 'external-provider')) return 404;
  return rule.ok;
}

interface Outcome {
  operationId: string;
  role: Role;
  target: Target;
  expected: number;
  status: number;
  /** Chart content the reader saw that the rule does not let them see, per patient. */
  leaked: string[];
  seen: ContentKind[];
  problem?: unknown;
}

/** The representation and anything it points at that a reader can open (an export's NDJSON files). */
function representation(operationId: string, res: ApiResponse): unknown[] {
  // A problem names the request's own path (`instance`), ids included: that is the caller's input, not content.
  const isProblem = /problem\+json/.test(res.headers.get('content-type') ?? '');
  const { instance: _path, ...problem } = isProblem ? (res.body as Record<string, unknown>) : {};
  const parts: unknown[] = [isProblem ? problem : res.body];
  if ((operationId === 'startExport' || operationId === 'getExport') && Array.isArray(res.body?.output)) {
    for (const o of res.body.output as { location: string }[]) parts.push(readFileSync(o.location, 'utf8'));
  }
  return parts;
}

async function pool<T>(tasks: (() => Promise<T>)[], size: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

let f: Fixtures;
let patientToken: string;
const outcomes: Outcome[] = [];

beforeAll(async () => {
  const [own, other, practice] = await Promise.all([buildFullChart(), buildFullChart(), setUpPractice()]);
  patientToken = await patientTokenFor(own.patientId);
  await loadSlots(practice);
  const spare = () =>
    created('POST', '/v1/providers', 'admin', {
      name: { given: ['Spare'], family: 'Provider' },
      npi: uniqueNpi(),
      specialty: 'Family medicine',
      locationIds: [practice.locationId],
    });
  const spareProviderIds = { schedule: (await spare()).id, exceptions: (await spare()).id };
  // Consent to demographics, so a backfill has something to do and putSharing keeps what it finds.
  for (const chart of [own, other]) {
    const set = await api('PUT', `/v1/patients/${chart.patientId}/sharing`, {
      user: 'front-desk',
      body: { mode: 'categories', categories: ['demographics'] },
      headers: ifMatch(0),
    });
    if (set.status !== 200) throw new Error(`consent: ${set.status}`);
  }
  const partial: Omit<
    Fixtures,
    'appointments' | 'exportId' | 'referralId' | 'referrals' | 'receivedDocumentIds' | 'inboundReferralId'
  > = {
    own,
    other,
    practice,
    spareProviderIds,
  };
  const withSlots = partial as Fixtures;
  const exportJob = await created('POST', '/v1/exports', 'admin', {});
  // Referrals are written as the send transaction writes them, grant included (test/support/referrals.ts).
  useLocalTable();
  const referrals = {
    own: (await sentReferral(own.patientId)).referral,
    other: (await sentReferral(other.patientId, { practitionerId: '01KAXDEM0000000000000000D2' })).referral,
  };
  const receivedDocumentIds = {
    own: await receivedDocument(own.patientId),
    other: await receivedDocument(other.patientId),
  };
  f = {
    ...partial,
    appointments: {
      own: await appointment(withSlots, own.patientId),
      other: await appointment(withSlots, other.patientId),
    },
    exportId: exportJob.id,
    referralId: (
      await created('POST', `/v1/patients/${own.patientId}/referrals`, 'clinician', referralBody(own))
    ).id,
    referrals,
    receivedDocumentIds,
    inboundReferralId: (await created('POST', '/v1/inbound-referrals', 'front-desk', SAMPLE_INBOUND)).id,
  };
}, 120_000);

describe('the access matrix', () => {
  it('has a rule for every operation of the route table, and none for an operation that is not there', () => {
    const operations = routes.map((r) => r.operationId).sort();
    expect(operations.filter((o) => !(o in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((o) => !operations.includes(o))).toEqual([]);
    // The table restates each route's role list: a change to either must be deliberate.
    for (const route of routes) {
      const rule = RULES[route.operationId] as Rule;
      if (rule.roles === 'public') expect(route.auth, route.operationId).toBe('public');
      else expect([...route.roles].sort(), route.operationId).toEqual([...rule.roles].sort());
    }
  });

  it('every operation × every role × own, other patient’s and another kind’s record answers as documented, and shows no chart content a role may not see', async () => {
    const runCase = async (route: (typeof routes)[number], rule: Rule, role: Role, target: Target) => {
      const expected = expectedStatus(rule, role, target);
      const c: Case = {
        role,
        target,
        allowed: expected === rule.ok && target !== 'wrong-kind',
        f,
        chart: target === 'other' ? f.other : f.own,
      };
      const call = await rule.call(c);
      const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
      const res = await api(route.method, `${call.path}${query}`, {
        ...(role === 'patient' ? { token: patientToken, user: null } : { user: role }),
        ...(call.rawBody !== undefined
          ? { rawBody: call.rawBody }
          : call.body !== undefined
            ? { body: call.body }
            : {}),
        ...(call.headers ? { headers: call.headers } : {}),
      });
      const shown = representation(route.operationId, res);
      const mayShow = new Set<ContentKind>(MAY_SEE[role]);
      // The audit log names records by id (who touched what): only text is content there.
      const idMarked: ContentKind[] = ['vitals', 'noKnownAllergies'];
      const leaked: string[] = [];
      const seen: ContentKind[] = [];
      for (const [who, chart] of [
        ['own', f.own],
        ['other', f.other],
      ] as const) {
        const found = kindsIn(chart, shown).filter(
          (k) => route.operationId !== 'listAudit' || !idMarked.includes(k),
        );
        seen.push(...found);
        // A patient sees nothing of another patient's chart; others as their role allows.
        const allowedHere = role === 'patient' && who === 'other' ? new Set<ContentKind>() : mayShow;
        leaked.push(...found.filter((k) => !allowedHere.has(k)).map((k) => `${who}:${k}`));
      }
      outcomes.push({
        operationId: route.operationId,
        role,
        target,
        expected,
        status: res.status,
        leaked,
        seen,
        ...(res.status !== expected ? { problem: res.body } : {}),
      });
    };
    const tasks: (() => Promise<void>)[] = [];
    const lanes = new Map<string, (() => Promise<void>)[]>();
    for (const route of routes) {
      const rule = RULES[route.operationId];
      if (!rule) continue;
      for (const role of ROLES) {
        for (const target of TARGETS[rule.scope]) {
          const run = () => runCase(route, rule, role, target);
          if (!rule.lane) tasks.push(run);
          else lanes.set(rule.lane, [...(lanes.get(rule.lane) ?? []), run]);
        }
      }
    }
    for (const lane of lanes.values()) {
      tasks.unshift(async () => {
        for (const run of lane) await run();
      });
    }
    const started = Date.now();
    await pool(tasks, 8);
    const elapsed = Date.now() - started;
    console.info(`access matrix: ${outcomes.length} calls in ${elapsed} ms`);
    const wrongStatus = outcomes
      .filter((o) => o.status !== o.expected && !(RULES[o.operationId]?.alsoOk ?? []).includes(o.status))
      .map((o) => `${o.operationId} as ${o.role} on ${o.target}: ${o.status}, documented ${o.expected}`);
    const leaks = outcomes
      .filter((o) => o.leaked.length > 0)
      .map((o) => `${o.operationId} as ${o.role} on ${o.target} shows ${o.leaked.join(', ')}`);
    // The content check is not vacuous: the care team sees every kind somewhere, the patient exactly theirs.
    const seenBy = (role: Role) =>
      [...new Set(outcomes.filter((o) => o.role === role).flatMap((o) => o.seen))].sort();
    expect({
      wrongStatus,
      leaks,
      clinicianSaw: seenBy('clinician'),
      patientSaw: seenBy('patient'),
      adminSaw: seenBy('admin'),
    }).toEqual({
      wrongStatus: [],
      leaks: [],
      clinicianSaw: [...CONTENT_KINDS].sort(),
      patientSaw: [...MAY_SEE.patient].sort(),
      adminSaw: [],
    });
    expect(outcomes.length).toBeGreaterThan(routes.length * ROLES.length);
    console.info(`access matrix: ${outcomes.length} calls in ${elapsed} ms`);
  }, 240_000);
});
