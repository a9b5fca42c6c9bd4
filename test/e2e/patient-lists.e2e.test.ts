// Every read scoped to one patient (lists, the timeline, the chart, consent, the longitudinal view), taken from the
// route table: a patient that does not exist is 404, as a single read is; a patient with nothing recorded yet is an
// empty 200.
import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { api, newPatientBody } from '../support/api.ts';

/** GET routes under /v1/patients/{patientId}/… with no other path parameter. */
const patientScoped = routes.filter(
  (r) =>
    r.method === 'GET' &&
    r.auth === 'cognito' &&
    r.audit?.patientIdParam === 'patientId' &&
    /^\/v1\/patients\/\{patientId\}\/[a-z-]+$/.test(r.path),
);

/** A staff role the route admits (the patient role may only name itself; external providers need a grant). */
function staffRole(roles: readonly string[]): string {
  const role = roles.find((r) => r !== 'patient' && r !== 'external-provider');
  if (!role) throw new Error('no staff role');
  return role;
}

describe('patient-scoped reads of a patient that does not exist', () => {
  it('the route table has them (the nine lists, the timeline among them)', () => {
    expect(patientScoped.map((r) => r.operationId).sort()).toEqual(
      expect.arrayContaining([
        'getTimeline',
        'listAllergies',
        'listEncounters',
        'listLabResults',
        'listMedications',
        'listNotes',
        'listPatientAppointments',
        'listProblems',
        'listVitals',
      ]),
    );
  });

  it.each(patientScoped.map((r) => [r.operationId, r] as const))('%s: 404 problem', async (_id, route) => {
    const missing = '01KAXZZZZZZZZZZZZZZZZZZZZZ';
    const res = await api('GET', route.path.replace('{patientId}', missing), {
      user: staffRole(route.roles),
    });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.detail).toBe('No such patient');
    expect(route.responses[404], 'the route documents its 404').toBeDefined();
  });

  it('a patient with nothing recorded yet: 200 on each (so the 404 above is about the patient)', async () => {
    const created = await api('POST', '/v1/patients', { user: 'front-desk', body: newPatientBody() });
    expect(created.status).toBe(201);
    for (const route of patientScoped) {
      const res = await api('GET', route.path.replace('{patientId}', created.body.id), {
        user: staffRole(route.roles),
      });
      expect(res.status, route.operationId).toBe(200);
    }
  });
});
