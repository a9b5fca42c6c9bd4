// Builds sample API Gateway (REST, Cognito authorizer) proxy events for a route: used to write events/ and by
// tests that invoke handlers directly.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Role } from '#shared/auth/roles.ts';
import type { AnyRoute } from '#shared/http/route.ts';
import { stableSub } from './cognito.ts';
import { demoAttributes } from './seed.ts';

export interface EventInput {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  /** The demo user the claims belong to (username = role). */
  user?: Role;
  requestId?: string;
}

/** When sample requests arrive (fixed, so the generated events do not change from run to run). */
const REQUEST_TIME_EPOCH = 1_764_000_000_000;

/** A date the way API Gateway's REST Cognito authorizer writes `exp` and `iat`: "Mon Nov 24 16:00:00 UTC 2025". */
export function apiGatewayClaimDate(ms: number): string {
  // toUTCString() is "Mon, 24 Nov 2025 16:00:00 GMT"; API Gateway puts the month first and the year last.
  const [day, date, month, year, time] = new Date(ms).toUTCString().replace(',', '').split(' ');
  return `${day} ${month} ${date} ${time} UTC ${year}`;
}

export function buildEvent(route: AnyRoute, input: EventInput = {}): APIGatewayProxyEvent {
  const user = input.user ?? 'admin';
  const params = input.params ?? {};
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => params[name] ?? `{${name}}`);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'api.local',
    ...(input.body !== undefined
      ? { 'Content-Type': route.request.bodyContentType ?? 'application/json' }
      : {}),
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
          // An ID token issued a minute before the request and good for an hour, as Cognito issues them.
          iat: apiGatewayClaimDate(REQUEST_TIME_EPOCH - 60_000),
          exp: apiGatewayClaimDate(REQUEST_TIME_EPOCH + 3_540_000),
          ...demoAttributes(user),
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
    body:
      input.body === undefined
        ? null
        : route.request.bodyContentType && typeof input.body === 'string'
          ? input.body
          : JSON.stringify(input.body),
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
      requestTimeEpoch: REQUEST_TIME_EPOCH,
      resourceId: route.operationId,
      resourcePath: route.path,
      stage: 'local',
    },
  };
}
