// The handlers' own principal check, behind the authorizer: every authenticated operation of the route table, invoked
// directly with the claims of an ID token that lacks exp, iat or token_use (or is an access token), answers 401 and
// reads and writes nothing. In AWS the authorizer hands these claims over as they are.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../functions/routes.ts';
import { buildEvent } from '../infra/local/events.ts';
import { countRequests } from '../shared/dynamodb.ts';
import { useLocalTable } from './support/local-env.ts';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const context = { awsRequestId: 'claims', getRemainingTimeInMillis: () => 10_000 } as Context;
const authenticated = routes.filter((r) => r.auth === 'cognito');
const handlers = new Map<string, Handler>();

beforeAll(async () => {
  useLocalTable();
  for (const route of authenticated) {
    const url = pathToFileURL(join(import.meta.dirname, '..', route.handler)).href;
    handlers.set(route.operationId, ((await import(/* @vite-ignore */ url)) as { handler: Handler }).handler);
  }
}, 120_000);

const spoilers: [string, (claims: Record<string, unknown>) => Record<string, unknown>][] = [
  ['no exp', ({ exp: _e, ...rest }) => rest],
  ['no iat', ({ iat: _i, ...rest }) => rest],
  ['no token_use', ({ token_use: _t, ...rest }) => rest],
  ['token_use access', (claims) => ({ ...claims, token_use: 'access' })],
  ['expired before the request arrived', (claims) => ({ ...claims, exp: 'Mon Nov 24 15:00:00 UTC 2025' })],
];

describe('the handlers’ principal check', () => {
  it.each(spoilers)(
    '%s: 401 on every authenticated operation, nothing read or written',
    async (_name, spoil) => {
      expect(authenticated.length).toBeGreaterThan(60);
      for (const route of authenticated) {
        const event = buildEvent(route, {
          user: 'admin',
          params: route.example?.params ?? {},
          body: route.example?.body,
        });
        const claims = event.requestContext.authorizer?.claims as Record<string, unknown>;
        event.requestContext.authorizer = { claims: spoil(claims) };
        const handler = handlers.get(route.operationId) as Handler;
        const { result, counts } = await countRequests(() => handler(event, context));
        expect(result.statusCode, route.operationId).toBe(401);
        expect(result.headers?.['Content-Type'], route.operationId).toBe('application/problem+json');
        expect(counts, route.operationId).toEqual({});
      }
    },
  );

  it('the unspoiled claims get past the check (so the 401s above are about the claim)', async () => {
    const route = authenticated.find((r) => r.operationId === 'getPatient');
    if (!route) throw new Error('getPatient');
    const event = buildEvent(route, { user: 'admin', params: route.example?.params ?? {} });
    const result = await (handlers.get('getPatient') as Handler)(event, context);
    expect(result.statusCode).not.toBe(401);
  });
});
