// Builds sample API Gateway (REST, Cognito authorizer) proxy events for a route: used to write events/ and by
// tests that invoke handlers directly.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Role } from '#shared/auth/roles.ts';
import type { AnyRoute } from '#shared/http/route.ts';
import { stableSub } from './cognito.ts';
import { DEMO_PATIENT_ID } from './seed.ts';

export interface EventInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The demo user the claims belong to (username = role). */
  user?: Role;
  requestId?: string;
}

export function buildEvent(route: AnyRoute, input: EventInput = {}): APIGatewayProxyEvent {
  const user = input.user ?? 'admin';
  const params = input.params ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? `{${name}}`);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'api.local',
    ...(input.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...input.headers,
  };
  const requestId = input.requestId ?? crypto.randomUUID();
  const claims =
    route.auth === 'cognito'
      ? {
          sub: stableSub(user),
          'cognito:username': user,
          'cognito:groups': user,
          token_use: 'id',
          ...(user === 'patient' ? { 'custom:patientId': DEMO_PATIENT_ID } : {}),
        }
      : undefined;
  return {
    resource: route.path,
    path,
    httpMethod: route.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: input.query && Object.keys(input.query).length ? input.query : null,
    multiValueQueryStringParameters:
      input.query && Object.keys(input.query).length
        ? Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, [v]]))
        : null,
    pathParameters: Object.keys(params).length ? params : null,
    stageVariables: null,
    body: input.body === undefined ? null : JSON.stringify(input.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: claims ? { claims } : null,
      httpMethod: route.method,
      identity: {
        sourceIp: '127.0.0.1',
        userAgent: 'continuum-sample-event',
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: 1_764_000_000_000,
      resourceId: route.operationId,
      resourcePath: route.path,
      stage: 'local',
    },
  };
}
