// Authentication and authorization through the local gateway with real tokens.
import { describe, expect, it } from 'vitest';
import { DEMO_PATIENT_ID } from '../../infra/local/seed.ts';
import { api, newPatientBody, tokenFor } from '../support/api.ts';
import { forge, idClaims, signWithPoolKey } from '../support/tokens.ts';

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body.status).toBe(status);
  expect(typeof res.body.requestId).toBe('string');
}

describe('authentication (401)', () => {
  it('rejects a request without a token, naming the header', async () => {
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { user: null });
    expectProblem(res, 401);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(['headers.authorization']);
  });

  it('rejects a forged token (signed by another key)', async () => {
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, {
      token: await forge(idClaims('admin')),
    });
    expectProblem(res, 401);
  });

  it('rejects an expired token', async () => {
    const claims = {
      ...idClaims('admin'),
      iat: Math.floor(Date.now() / 1000) - 7200,
      exp: Math.floor(Date.now() / 1000) - 60,
    };
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { token: await signWithPoolKey(claims) });
    expectProblem(res, 401);
  });

  it('rejects a token for another app client (wrong audience)', async () => {
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, {
      token: await signWithPoolKey({ ...idClaims('admin'), aud: 'someotherclient' }),
    });
    expectProblem(res, 401);
  });

  it('rejects an access token where an ID token is required', async () => {
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, {
      token: await signWithPoolKey({ ...idClaims('admin'), token_use: 'access' }),
    });
    expectProblem(res, 401);
  });

  it('accepts the same claims signed by the pool key (the tests above can fail)', async () => {
    const res = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, {
      token: await signWithPoolKey(idClaims('admin')),
    });
    expect(res.status).toBe(200);
  });

  it('rejects a wrong password at sign-in', async () => {
    const res = await fetch(`${(await import('../support/api.ts')).runtime().cognitoUrl}/`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
      },
      body: JSON.stringify({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: (await import('../support/api.ts')).runtime().cognitoClientId,
        AuthParameters: { USERNAME: 'admin', PASSWORD: 'wrong-password' },
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('NotAuthorizedException');
  });
});

describe('authorization', () => {
  it('403 when the role may not call the route, and the attempt is audited as denied', async () => {
    const res = await api('POST', '/v1/patients', { user: 'billing', body: newPatientBody() });
    expectProblem(res, 403);
    const audit = await api('GET', '/v1/audit?limit=100', { user: 'admin' });
    expect(audit.status).toBe(200);
    const denied = audit.body.items.find((r: any) => r.requestId === res.body.requestId);
    expect(denied).toMatchObject({
      outcome: 'denied',
      action: 'patient.create',
      actor: { roles: ['billing'] },
    });
  });

  it('403 for the external provider (nothing granted yet) and for staff reading the audit log', async () => {
    expectProblem(await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { user: 'external-provider' }), 403);
    expectProblem(await api('GET', '/v1/audit', { user: 'nurse' }), 403);
  });

  it('billing may read but not change a patient', async () => {
    expect((await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { user: 'billing' })).status).toBe(200);
    const res = await api('PATCH', `/v1/patients/${DEMO_PATIENT_ID}`, {
      user: 'billing',
      body: { preferredLanguage: 'fr' },
      headers: { 'If-Match': '"1"' },
    });
    expectProblem(res, 403);
  });

  it('a patient user reads its own record, and another patient is a 404 that leaks nothing', async () => {
    const own = await api('GET', `/v1/patients/${DEMO_PATIENT_ID}`, { user: 'patient' });
    expect(own.status).toBe(200);
    expect(own.body.id).toBe(DEMO_PATIENT_ID);

    const other = await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() });
    expect(other.status).toBe(201);
    const res = await api('GET', `/v1/patients/${other.body.id}`, { user: 'patient' });
    expectProblem(res, 404);
    const missing = await api('GET', '/v1/patients/01KAXZZZZZZZZZZZZZZZZZZZZZ', { user: 'patient' });
    expectProblem(missing, 404);
    // Same answer whether the record exists or not.
    expect({ ...res.body, requestId: '', instance: '' }).toEqual({
      ...missing.body,
      requestId: '',
      instance: '',
    });

    const audit = await api('GET', `/v1/audit?patientId=${other.body.id}`, { user: 'admin' });
    expect(
      audit.body.items.some((r: any) => r.outcome === 'denied' && r.actor.roles.includes('patient')),
    ).toBe(true);
  });

  it('a patient user cannot search or create patients', async () => {
    expectProblem(await api('GET', '/v1/patients?family=demo', { user: 'patient' }), 403);
    expectProblem(await api('POST', '/v1/patients', { user: 'patient', body: newPatientBody() }), 403);
  });

  it('tokens come from the local Cognito sign-in', async () => {
    const token = await tokenFor('clinician');
    expect(token.split('.')).toHaveLength(3);
  });
});
