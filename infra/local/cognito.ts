// A local stand-in for one tenant's Cognito user pool: users in groups (the roles), USER_PASSWORD_AUTH and
// REFRESH_TOKEN_AUTH through the real Cognito wire API (POST / with X-Amz-Target), Cognito-shaped RS256 ID and
// access tokens, and the JWKS at `<issuer>/.well-known/jwks.json`. Local use only: it is no identity provider.
// Wire format: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_InitiateAuth.html
import { createHash, randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Role } from '#shared/auth/roles.ts';

export interface LocalUser {
  username: string;
  sub: string;
  groups: Role[];
  attributes: Record<string, string>;
  passwordHash: string;
}

interface State {
  poolId: string;
  clientId: string;
  privateJwk: JWK;
  users: LocalUser[];
}

export interface LocalCognito {
  issuer: string;
  url: string;
  poolId: string;
  clientId: string;
  jwksUri: string;
  upsertUser(user: {
    username: string;
    password: string;
    groups: Role[];
    attributes?: Record<string, string>;
  }): LocalUser;
  findUser(username: string): LocalUser | undefined;
  /** Mints an ID token directly (tests): `overrides` may change any claim, e.g. `exp` or `aud`. */
  mintIdToken(username: string, overrides?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

const ID_TOKEN_SECONDS = 3600;
const KEY_ID = 'continuum-local-1';

function hashPassword(password: string, salt = randomBytes(16).toString('base64url')): string {
  return `${salt}$${scryptSync(password, salt, 32).toString('base64url')}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [salt, hash] = stored.split('$');
  if (!salt || !hash) return false;
  const candidate = scryptSync(password, salt, 32);
  const expected = Buffer.from(hash, 'base64url');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** Demo users get stable subs (a UUID derived from the username), so sample events can name them. */
export function stableSub(username: string): string {
  const h = createHash('sha256').update(`continuum-local:${username}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function newState(): Promise<State> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return {
    poolId: 'us-east-1_Continuum',
    clientId: randomBytes(13).toString('hex'),
    privateJwk: await exportJWK(privateKey),
    users: [],
  };
}

async function readBody(req: IncomingMessage, limit = 64 * 1024): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/x-amz-json-1.1'): void {
  res.writeHead(status, { 'Content-Type': type });
  res.end(JSON.stringify(body));
}

function cognitoError(res: ServerResponse, type: string, message: string, status = 400): void {
  res.setHeader('x-amzn-ErrorType', type);
  send(res, status, { __type: type, message });
}

/** Starts the local user pool. With `stateDir`, keys, client id and users survive restarts. */
export async function startLocalCognito(options: { port: number; stateDir?: string }): Promise<LocalCognito> {
  const stateFile = options.stateDir ? join(options.stateDir, 'cognito.json') : undefined;
  let state: State;
  if (stateFile && existsSync(stateFile)) state = JSON.parse(readFileSync(stateFile, 'utf8')) as State;
  else state = await newState();
  const save = () => {
    if (!stateFile || !options.stateDir) return;
    mkdirSync(options.stateDir, { recursive: true });
    writeFileSync(stateFile, JSON.stringify(state, null, 2), { mode: 0o600 });
  };
  save();

  const privateKey = await importJWK(state.privateJwk, 'RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = state.privateJwk;
  const jwks = { keys: [{ ...publicJwk, kid: KEY_ID, alg: 'RS256', use: 'sig' }] };
  const refreshTokens = new Map<string, string>();

  let issuer = '';
  const findUser = (username: string) => state.users.find((u) => u.username === username);

  async function mint(user: LocalUser, tokenUse: 'id' | 'access', overrides: Record<string, unknown> = {}) {
    const now = Math.floor(Date.now() / 1000);
    const eventId = randomUUID();
    const claims: Record<string, unknown> =
      tokenUse === 'id'
        ? {
            sub: user.sub,
            aud: state.clientId,
            'cognito:groups': user.groups,
            'cognito:username': user.username,
            email_verified: true,
            token_use: 'id',
            auth_time: now,
            event_id: eventId,
            ...user.attributes,
          }
        : {
            sub: user.sub,
            client_id: state.clientId,
            'cognito:groups': user.groups,
            username: user.username,
            token_use: 'access',
            scope: 'aws.cognito.signin.user.admin',
            auth_time: now,
            event_id: eventId,
          };
    const payload = {
      ...claims,
      iss: issuer,
      iat: now,
      exp: now + ID_TOKEN_SECONDS,
      jti: randomUUID(),
      ...overrides,
    };
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
      .sign(privateKey);
  }

  async function authenticationResult(user: LocalUser, withRefresh: boolean) {
    const result: Record<string, unknown> = {
      IdToken: await mint(user, 'id'),
      AccessToken: await mint(user, 'access'),
      ExpiresIn: ID_TOKEN_SECONDS,
      TokenType: 'Bearer',
    };
    if (withRefresh) {
      const token = randomBytes(48).toString('base64url');
      refreshTokens.set(token, user.username);
      result.RefreshToken = token;
    }
    return { AuthenticationResult: result, ChallengeParameters: {} };
  }

  async function initiateAuth(res: ServerResponse, input: Record<string, unknown>): Promise<void> {
    if (input.ClientId !== state.clientId)
      return cognitoError(res, 'ResourceNotFoundException', 'User pool client does not exist.');
    const params = (input.AuthParameters ?? {}) as Record<string, string>;
    if (input.AuthFlow === 'USER_PASSWORD_AUTH') {
      const user = params.USERNAME ? findUser(params.USERNAME) : undefined;
      if (!user || !params.PASSWORD || !passwordMatches(params.PASSWORD, user.passwordHash)) {
        return cognitoError(res, 'NotAuthorizedException', 'Incorrect username or password.');
      }
      return send(res, 200, await authenticationResult(user, true));
    }
    if (input.AuthFlow === 'REFRESH_TOKEN_AUTH' || input.AuthFlow === 'REFRESH_TOKEN') {
      const username = params.REFRESH_TOKEN ? refreshTokens.get(params.REFRESH_TOKEN) : undefined;
      const user = username ? findUser(username) : undefined;
      if (!user) return cognitoError(res, 'NotAuthorizedException', 'Invalid Refresh Token.');
      return send(res, 200, await authenticationResult(user, false));
    }
    return cognitoError(
      res,
      'InvalidParameterException',
      `AuthFlow ${String(input.AuthFlow)} is not supported locally; use USER_PASSWORD_AUTH.`,
    );
  }

  const server: Server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (req.method === 'GET' && path === `/${state.poolId}/.well-known/jwks.json`) {
        return send(res, 200, jwks, 'application/json');
      }
      if (req.method === 'GET' && path === `/${state.poolId}/.well-known/openid-configuration`) {
        return send(
          res,
          200,
          {
            issuer,
            jwks_uri: `${issuer}/.well-known/jwks.json`,
            id_token_signing_alg_values_supported: ['RS256'],
          },
          'application/json',
        );
      }
      if (req.method === 'POST' && path === '/') {
        const target = String(req.headers['x-amz-target'] ?? '');
        const input = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
        if (target.endsWith('.InitiateAuth')) return await initiateAuth(res, input);
        return cognitoError(res, 'InvalidAction', `${target} is not supported by the local Cognito.`);
      }
      send(res, 404, { message: 'Not found' }, 'application/json');
    } catch {
      cognitoError(res, 'InvalidParameterException', 'Malformed request.');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  issuer = `${url}/${state.poolId}`;

  return {
    issuer,
    url,
    poolId: state.poolId,
    clientId: state.clientId,
    jwksUri: `${issuer}/.well-known/jwks.json`,
    findUser,
    upsertUser({ username, password, groups, attributes = {} }) {
      const existing = findUser(username);
      const user: LocalUser = {
        username,
        sub: existing?.sub ?? stableSub(username),
        groups,
        attributes,
        passwordHash:
          existing && passwordMatches(password, existing.passwordHash)
            ? existing.passwordHash
            : hashPassword(password),
      };
      state.users = [...state.users.filter((u) => u.username !== username), user];
      save();
      return user;
    },
    async mintIdToken(username, overrides) {
      const user = findUser(username);
      if (!user) throw new Error(`No local user ${username}`);
      return mint(user, 'id', overrides);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
