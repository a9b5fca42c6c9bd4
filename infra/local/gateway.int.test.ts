// The local gateway's own failure answers (502 when a handler throws, 500 when the answer cannot be written), served
// in-process on loopback with stand-in handlers: each is problem+json with the request id and the security headers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyRoute } from '#shared/http/route.ts';
import { decodePathValues, type Gateway, gatewaySecurityHeaders, startGateway } from './gateway.ts';

const root = mkdtempSync(join(tmpdir(), 'continuum-gateway-'));
const route = (operationId: string, path: string, handler: string): AnyRoute => ({
  operationId,
  method: 'GET',
  path,
  handler,
  summary: operationId,
  description: 'A stand-in handler for the gateway test.',
  example: {},
  tag: 'Test',
  auth: 'public',
  roles: [],
  tableAccess: 'none',
  request: {},
  responses: { 200: { description: 'ok' } },
});

let gateway: Gateway;

beforeAll(async () => {
  writeFileSync(join(root, 'throws.mjs'), 'export const handler = async () => { throw new Error("boom"); };');
  // A header value with a line break cannot be written: node:http throws while the gateway writes the answer.
  writeFileSync(
    join(root, 'bad-header.mjs'),
    'export const handler = async () => ({ statusCode: 200, headers: { "X-Bad": "a\\nb" }, body: "" });',
  );
  gateway = await startGateway({
    port: 0,
    routes: [route('throws', '/throws', 'throws.mjs'), route('badHeader', '/bad-header', 'bad-header.mjs')],
    root,
    cognito: { issuer: 'http://127.0.0.1:1/pool', clientId: 'client', jwksUri: 'http://127.0.0.1:1/jwks' },
    corsOrigins: [],
    log: () => {},
  });
});

afterAll(async () => {
  await gateway?.stop();
});

function expectGatewayProblem(res: Response, body: { status: number; requestId: string }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(body.status).toBe(status);
  expect(body.requestId).toBe(res.headers.get('x-amzn-requestid'));
  for (const [name, value] of Object.entries(gatewaySecurityHeaders()))
    expect(res.headers.get(name), name).toBe(value);
}

describe('the gateway’s own failure answers', () => {
  it('502 problem when the handler throws', async () => {
    const res = await fetch(`${gateway.url}/throws`);
    expectGatewayProblem(res, await res.json(), 502);
  });

  it('500 problem when the handler’s answer cannot be written', async () => {
    const res = await fetch(`${gateway.url}/bad-header`);
    expectGatewayProblem(res, await res.json(), 500);
  });

  it('security headers include no-store caching and the helmet defaults handlers use', () => {
    const headers = gatewaySecurityHeaders();
    expect(headers['Cache-Control']).toBe('no-store');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Strict-Transport-Security']).toMatch(/^max-age=/);
  });
});

describe('decodePathValues', () => {
  it('decodes good escapes and refuses malformed ones', () => {
    expect(decodePathValues(['a'], ['x%20y'])).toEqual({ a: 'x y' });
    for (const bad of ['%', '%ZZ', '%E0%A4%A']) expect(decodePathValues(['a'], [bad])).toBeUndefined();
  });
});
