// Who is calling: built from the Cognito claims that API Gateway's authorizer (or the local gateway) verified.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { AuthenticationError } from '../errors.ts';
import { isRole, type Role } from './roles.ts';

export interface Principal {
  /** Cognito `sub`: the stable user id. */
  sub: string;
  username: string;
  roles: Role[];
  /** Set for `patient` users: the one patient record they are. */
  patientId?: string;
  /** Set for clinicians who are providers in the schedule. */
  practitionerId?: string;
}

/**
 * API Gateway's REST Cognito authorizer hands claims over as strings; a multi-valued claim such as
 * `cognito:groups` may arrive as a JSON-ish list ("[admin clinician]"), comma separated, or a real array.
 */
export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string' || raw.trim() === '') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .map((g) => g.trim())
    .filter(Boolean);
}

/**
 * A claimed instant as epoch milliseconds. API Gateway's REST authorizer passes `exp` and `iat` as date strings
 * ("Thu Nov 27 10:00:00 UTC 2025"), the local gateway as HTTP dates, a raw JWT payload as epoch seconds.
 */
export function claimedInstant(raw: unknown): number | undefined {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw * 1000 : undefined;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  if (/^\d{1,12}$/.test(raw.trim())) return Number(raw) * 1000;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Defence in depth behind the authorizer: only a Cognito ID token that says when it was issued and when it expires
 * becomes a principal, and it must have been unexpired when the request arrived (`requestTimeEpoch`, set by API
 * Gateway, so a request that waited in a queue is not refused for the wait). A token without `exp` would be valid
 * forever; one without `token_use` could be an access token passed off as an identity.
 */
export function tokenClaimsProblem(
  claims: Record<string, unknown>,
  receivedAtMs: number | undefined,
): string | undefined {
  if (claims.token_use !== 'id') return 'token_use';
  const exp = claimedInstant(claims.exp);
  const iat = claimedInstant(claims.iat);
  if (exp === undefined) return 'exp';
  if (iat === undefined || iat > exp) return 'iat';
  if (receivedAtMs !== undefined && exp <= receivedAtMs) return 'exp';
  return undefined;
}

export function principalFromEvent(event: APIGatewayProxyEvent): Principal {
  const claims = (event.requestContext?.authorizer?.claims ?? undefined) as
    | Record<string, unknown>
    | undefined;
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub === '') {
    throw new AuthenticationError('No verified identity on the request');
  }
  if (tokenClaimsProblem(claims, event.requestContext?.requestTimeEpoch) !== undefined) {
    // Which claim failed is not said: the caller learns only that the token is not acceptable.
    throw new AuthenticationError('The token is missing, expired or not valid for this API', [
      { field: 'headers.authorization', message: 'Not a valid, unexpired ID token' },
    ]);
  }
  const roles = parseGroups(claims['cognito:groups']).filter(isRole);
  const patientId = claims['custom:patientId'];
  const practitionerId = claims['custom:practitionerId'];
  return {
    sub,
    username: String(claims['cognito:username'] ?? claims.username ?? sub),
    roles,
    ...(typeof patientId === 'string' && patientId !== '' ? { patientId } : {}),
    ...(typeof practitionerId === 'string' && practitionerId !== '' ? { practitionerId } : {}),
  };
}

export function hasRole(principal: Principal, ...roles: readonly Role[]): boolean {
  return principal.roles.some((r) => roles.includes(r));
}
