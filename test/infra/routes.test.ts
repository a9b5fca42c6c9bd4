// The stack is built from the route table, not from a list kept in infra/: one more route is exactly one more
// function and one more method (behind the Cognito authorizer, with its own least-privilege role).
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { routes } from '#functions/routes.ts';
import { defineRoute } from '#shared/http/route.ts';
import { buildApp, methodPaths, templateOf } from './build.ts';

const extraRoute = defineRoute({
  operationId: 'getInfraProbe',
  method: 'GET',
  path: '/v1/infra-probes/{probeId}/readings/{readingId}',
  // Any existing handler file: bundling is skipped here, and the stack only needs the file's path.
  handler: 'functions/patients/handlers/get-patient.ts',
  summary: 'A route that exists only in this test',
  description: 'Reads a probe, to count what one more route adds to the stack.',
  tag: 'Test',
  auth: 'cognito',
  roles: ['clinician'],
  tableAccess: 'read',
  request: { params: z.strictObject({ probeId: z.string(), readingId: z.string() }) },
  example: { params: { probeId: 'p1', readingId: 'r1' } },
  responses: { 200: { description: 'A reading' } },
});

function count(routeTable: typeof routes) {
  const { app, tenants } = buildApp(['acme'], { routes: routeTable });
  const stateless = tenants.acme?.stateless;
  if (!stateless) throw new Error('acme was not built');
  const template = templateOf(app, stateless).toJSON() as {
    Resources: Record<string, Record<string, unknown>>;
  };
  const methods = methodPaths(template).filter((m) => m.method !== 'OPTIONS');
  const functions = stateless.functionStacks.flatMap((s) =>
    Object.values(templateOf(app, s).findResources('AWS::Lambda::Function')),
  );
  return { methods, functions };
}

describe('the route table drives the stack', () => {
  it('adds exactly one function and one method for one more route', () => {
    expect(routes.some((r) => r.path === extraRoute.path || r.operationId === extraRoute.operationId)).toBe(
      false,
    );
    const before = count(routes);
    const after = count([...routes, extraRoute]);
    expect(before.functions).toHaveLength(routes.length);
    expect(after.functions.length - before.functions.length).toBe(1);
    expect(after.methods.length - before.methods.length).toBe(1);

    const added = after.methods.find((m) => m.path === extraRoute.path);
    expect(added?.method).toBe('GET');
    expect(added?.properties.AuthorizationType).toBe('COGNITO_USER_POOLS');
    expect(added?.properties.RequestParameters).toEqual({
      'method.request.path.probeId': true,
      'method.request.path.readingId': true,
    });
    const names = after.functions.map((f) => (f.Properties as { FunctionName: string }).FunctionName);
    expect(names).toContain('continuum-acme-getInfraProbe');
  });
});
