// Mints tokens the local Cognito did not issue the usual way: expired, for another audience, or forged.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import { inject } from 'vitest';

interface CognitoState {
  privateJwk: JWK;
  clientId: string;
  users: { username: string; sub: string; groups: string[]; attributes: Record<string, string> }[];
}

function state(): CognitoState {
  return JSON.parse(
    readFileSync(join(inject('runtimeDataDir'), 'cognito', 'cognito.json'), 'utf8'),
  ) as CognitoState;
}

/** Claims of a valid ID token for `username`, which the caller may then spoil. */
export function idClaims(username: string): Record<string, unknown> {
  const s = state();
  const user = s.users.find((u) => u.username === username);
  if (!user) throw new Error(`no user ${username}`);
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: user.sub,
    aud: s.clientId,
    iss: inject('runtime').cognitoIssuer,
    'cognito:groups': user.groups,
    'cognito:username': user.username,
    token_use: 'id',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    ...user.attributes,
  };
}

/** Signs with the local pool's real key. */
export async function signWithPoolKey(claims: Record<string, unknown>): Promise<string> {
  const key = await importJWK(state().privateJwk, 'RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'continuum-local-1', typ: 'JWT' })
    .sign(key);
}

/** Signs with a key nobody trusts, claiming the pool's key id. */
export async function forge(claims: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'continuum-local-1', typ: 'JWT' })
    .sign(privateKey);
}
