// Test helpers that talk to the local runtime the way a front end does: sign in, then call the API through the
// typed client a front end uses (shared/client/), or with raw fetch for requests the contract forbids.
import { expect, inject } from 'vitest';
import { type ContinuumClient, createContinuumClient, type RequestBody } from '../../shared/client/index.ts';
import { signIn } from './runtime-process.ts';

export function runtime() {
  return inject('runtime');
}

const tokens = new Map<string, string>();

/** An ID token for a demo user, signed in once per test file. */
export async function tokenFor(username: string): Promise<string> {
  const cached = tokens.get(username);
  if (cached) return cached;
  const token = await signIn(runtime(), username);
  tokens.set(username, token);
  return token;
}

const clients = new Map<string, ContinuumClient>();

/**
 * The typed client, signed in as `user` (`null`: no token), as a front end holds it. Its calls are typechecked
 * against the OpenAPI document, so a test that compiles calls the API the way the published contract says.
 */
export function client(user: string | null = 'admin'): ContinuumClient {
  const key = user ?? '';
  let existing = clients.get(key);
  if (!existing) {
    existing = createContinuumClient({
      baseUrl: runtime().apiUrl,
      ...(user ? { token: () => tokenFor(user) } : {}),
    });
    clients.set(key, existing);
  }
  return existing;
}

/** Asserts a typed call's status (showing the problem when it differs) and hands back its typed body. */
export function expectData<T>(result: { data?: T; error?: unknown; response: Response }, status: number): T {
  expect(result.response.status, JSON.stringify(result.error)).toBe(status);
  return result.data as T;
}

/** A fresh Idempotency-Key, as a front end makes one per user action. */
export const idempotencyKey = (prefix = 'key') => ({ 'Idempotency-Key': `${prefix}-${crypto.randomUUID()}` });

/** Raw calls, for what the typed client will not send: malformed bodies, unknown fields, missing headers. */
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls the API as `user` (or anonymously with `user: null`). `body` objects are sent as JSON. */
export async function api<T = any>(
  method: string,
  path: string,
  options: {
    user?: string | null;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
    token?: string;
  } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const user = options.user === undefined ? 'admin' : options.user;
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  else if (user) headers.Authorization = `Bearer ${await tokenFor(user)}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] ??= 'application/json';
  const response = await fetch(`${runtime().apiUrl}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: response.status, headers: response.headers, body: parsed as T };
}

let counter = 0;
type NewPatient = RequestBody<'createPatient'>;

/** A valid new-patient body with a unique family name (so searches in parallel tests do not collide). */
export function newPatientBody(overrides: Partial<NewPatient> = {}): NewPatient {
  counter += 1;
  const unique = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`.replace(
    /[0-9]/g,
    (d) => 'abcdefghij'[Number(d)] ?? 'x',
  );
  return {
    name: { given: ['Maria', 'José'], family: `Test${unique}` },
    birthDate: '1975-06-30',
    gender: 'female',
    contact: { phone: '+1 555 0199', email: 'maria@example.org' },
    preferredLanguage: 'es-MX',
    ...overrides,
  };
}

/** Polls until `probe` returns a value (the mirror and other asynchronous paths), failing after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not within the time limit');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The `If-Match` header naming a record version (what the `ETag` of that version carries). */
export const ifMatch = (version: number | string) => ({ 'If-Match': `"${version}"` });

/** The fields a problem+json answer names (`errors[].field`), in order. */
export function fieldsOf(problem: any): string[] {
  return (problem?.errors ?? []).map((e: { field: string }) => e.field);
}

/**
 * Sets a patient's consent to share as a front end does: reads it, then PUTs `body` with the ETag it read.
 * The typed client's answer, for the caller to check.
 */
export async function setConsent(
  patientId: string,
  body: RequestBody<'putSharing'> = { mode: 'all' },
  user = 'front-desk',
) {
  const path = { patientId };
  const current = await client(user).GET('/v1/patients/{patientId}/sharing', { params: { path } });
  return client(user).PUT('/v1/patients/{patientId}/sharing', {
    params: { path, header: { 'If-Match': current.response.headers.get('etag') as string } },
    body,
  });
}

/** How long the stream mirror may take to reach the local FHIR store on a loaded machine. */
export const MIRROR_WAIT_MS = 10_000;

/** A request to the local FHIR store (standing in for HealthLake), path relative to its base URL. */
export const fhir = (path: string, init?: RequestInit) => fetch(`${runtime().fhirBaseUrl}/${path}`, init);

/** A resource in the local FHIR store, or undefined while it is not there (ids as the mirror writes them). */
export async function fhirResource(type: string, id: string): Promise<any | undefined> {
  const res = await fhir(`${type}/${id.toLowerCase()}`);
  return res.status === 200 ? res.json() : undefined;
}
