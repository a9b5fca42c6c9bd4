// The principal check behind the authorizer: only an unexpired Cognito ID token with exp, iat and token_use.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { claimedInstant, principalFromEvent, tokenClaimsProblem } from './principal.ts';

const RECEIVED = Date.parse('2025-11-24T16:00:00Z');
const good = {
  sub: 'abc',
  'cognito:groups': 'nurse',
  token_use: 'id',
  iat: 'Mon Nov 24 15:59:00 UTC 2025',
  exp: 'Mon Nov 24 16:59:00 UTC 2025',
};

function event(claims: Record<string, unknown>): APIGatewayProxyEvent {
  return { requestContext: { requestTimeEpoch: RECEIVED, authorizer: { claims } } } as never;
}

describe('claimedInstant', () => {
  it('reads API Gateway date strings, HTTP dates and epoch seconds; nothing else', () => {
    expect(claimedInstant('Mon Nov 24 16:00:00 UTC 2025')).toBe(RECEIVED);
    expect(claimedInstant('Mon, 24 Nov 2025 16:00:00 GMT')).toBe(RECEIVED);
    expect(claimedInstant(RECEIVED / 1000)).toBe(RECEIVED);
    expect(claimedInstant(String(RECEIVED / 1000))).toBe(RECEIVED);
    for (const bad of [undefined, '', 'tomorrow', Number.NaN, null, {}])
      expect(claimedInstant(bad)).toBeUndefined();
  });
});

describe('tokenClaimsProblem', () => {
  it('accepts an ID token with exp and iat, unexpired when the request arrived', () => {
    expect(tokenClaimsProblem(good, RECEIVED)).toBeUndefined();
  });

  it('names the claim that is missing or wrong', () => {
    const { exp: _e, ...noExp } = good;
    const { iat: _i, ...noIat } = good;
    const { token_use: _t, ...noUse } = good;
    expect(tokenClaimsProblem(noExp, RECEIVED)).toBe('exp');
    expect(tokenClaimsProblem(noIat, RECEIVED)).toBe('iat');
    expect(tokenClaimsProblem(noUse, RECEIVED)).toBe('token_use');
    expect(tokenClaimsProblem({ ...good, token_use: 'access' }, RECEIVED)).toBe('token_use');
    expect(tokenClaimsProblem({ ...good, iat: 'Mon Nov 24 17:00:00 UTC 2025' }, RECEIVED)).toBe('iat');
  });

  it('refuses a token that had expired when the request arrived, to the second', () => {
    expect(tokenClaimsProblem({ ...good, exp: 'Mon Nov 24 16:00:00 UTC 2025' }, RECEIVED)).toBe('exp');
    expect(tokenClaimsProblem({ ...good, exp: 'Mon Nov 24 16:00:01 UTC 2025' }, RECEIVED)).toBeUndefined();
  });
});

describe('principalFromEvent', () => {
  it('builds the principal from good claims and refuses each spoiled one with 401', () => {
    expect(principalFromEvent(event(good))).toEqual({ sub: 'abc', username: 'abc', roles: ['nurse'] });
    for (const name of ['exp', 'iat', 'token_use']) {
      const { [name]: _dropped, ...spoiled } = good as Record<string, unknown>;
      expect(() => principalFromEvent(event(spoiled)), name).toThrow(
        expect.objectContaining({
          status: 401,
          errors: [expect.objectContaining({ field: 'headers.authorization' })],
        }),
      );
    }
  });
});
