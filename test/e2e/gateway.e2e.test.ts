// What the local gateway answers itself: tokens that lack a claim, malformed paths, unknown routes and methods,
// all with the same security headers, Cache-Control and request id as a handler's answer.
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { DEMO_PATIENT_ID } from '../../infra/local/seed.ts';
import { api, runtime } from '../support/api.ts';
import { idClaims, signWithPoolKey } from '../support/tokens.ts';

/** A path for the route with every parameter filled (the demo patient, or a well-formed id). */
function pathOf(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    name === 'patientId' ? DEMO_PATIENT_ID : name === 'asset' ? 'init.js' : '01KAXZZZZZZZZZZZZZZZZZZZZZ',
  );
}

const authenticated = routes.filter((r) => r.auth === 'cognito');

function without(claims: Record<string, unknown>, name: string): Record<string, unknown> {
  const { [name]: _dropped, ...rest } = claims;
  return rest;
}

describe('tokens that lack exp, iat or token_use (signed with the pool’s real key)', () => {
  const spoilers: [string, (c: Record<string, unknown>) => Record<string, unknown>][] = [
    ['no exp', (c) => without(c, 'exp')],
    ['no iat', (c) => without(c, 'iat')],
    ['no token_use', (c) => without(c, 'token_use')],
    ['token_use access', (c) => ({ ...c, token_use: 'access' })],
    ['exp not a number', (c) => ({ ...c, exp: 'tomorrow' })],
  ];

  it.each(spoilers)('%s: 401 on every authenticated operation of the route table', async (_name, spoil) => {
    const token = await signWithPoolKey(spoil(idClaims('admin')));
    const answers = await Promise.all(
      authenticated.map(async (route) => {
        const res = await api(route.method, pathOf(route.path), {
          token,
          ...(route.method === 'GET' ? {} : { body: {} }),
        });
        return {
          route: `${route.method} ${route.path}`,
          status: res.status,
          type: res.headers.get('content-type'),
        };
      }),
    );
    expect(authenticated.length).toBeGreaterThan(60);
    for (const a of answers) {
      expect(a.status, a.route).toBe(401);
      expect(a.type, a.route).toContain('application/problem+json');
    }
  });

  it('the same claims with exp, iat and token_use pass (so the rejections above are about the claim)', async () => {
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, {
      token: await signWithPoolKey(idClaims('admin')),
    });
    expect(res.status).toBe(200);
  });
});

/** The headers a handler's own response carries, which every gateway answer must carry too. */
async function handlerHeaders(): Promise<Headers> {
  const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { user: 'admin' });
  expect(res.status).toBe(200);
  return res.headers;
}

const SECURITY_HEADERS = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'permissions-policy',
  'cache-control',
];

function expectSameHeaders(res: { status: number; headers: Headers; body: any }, reference: Headers) {
  for (const name of SECURITY_HEADERS) {
    expect(reference.get(name), name).toBeTruthy();
    expect(res.headers.get(name), `${res.status} ${name}`).toBe(reference.get(name));
  }
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
}

describe('malformed percent-escapes in the path', () => {
  it.each(['%', '%ZZ', '%E0%A4%A'])(
    '%s → 400 problem+json with the request id, the value not echoed',
    async (bad) => {
      const reference = await handlerHeaders();
      for (const path of [`/v1/patients/${bad}`, `/v1/patients/${DEMO_PATIENT_ID}/notes/${bad}`]) {
        const res = await api('GET', path, { user: 'clinician' });
        expect(res.status, path).toBe(400);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.requestId).toBe(res.headers.get('x-amzn-requestid'));
        expect(res.body.errors).toEqual([{ field: 'path', message: 'Malformed percent-escape' }]);
        expect(JSON.stringify(res.body)).not.toContain(bad);
        expectSameHeaders(res, reference);
      }
    },
  );
});

describe('every answer the gateway writes itself carries the handlers’ headers', () => {
  it('401, 404, 405, 413 and the CORS preflight', async () => {
    const reference = await handlerHeaders();
    const unauthenticated = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { user: null });
    expect(unauthenticated.status).toBe(401);
    expectSameHeaders(unauthenticated, reference);
    expect(unauthenticated.body.requestId).toBe(unauthenticated.headers.get('x-amzn-requestid'));

    const missing = await api('GET', '/v1/nothing-here', { user: null });
    expect(missing.status).toBe(404);
    expectSameHeaders(missing, reference);

    const wrongMethod = await api('DELETE', '/v1/patients', { user: null });
    expect(wrongMethod.status).toBe(405);
    expectSameHeaders(wrongMethod, reference);

    const tooLarge = await api('POST', '/v1/patients', {
      user: 'front-desk',
      rawBody: 'x'.repeat(10 * 1024 * 1024 + 1),
    });
    expect(tooLarge.status).toBe(413);
    expectSameHeaders(tooLarge, reference);

    const preflight = await fetch(`${runtime().apiUrl}/v1/patients`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expectSameHeaders({ status: 204, headers: preflight.headers, body: undefined }, reference);
  });
});
