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

export function principalFromEvent(event: APIGatewayProxyEvent): Principal {
  const claims = (event.requestContext?.authorizer?.claims ?? undefined) as
    | Record<string, unknown>
    | undefined;
  const sub = claims?.sub;
  if (!claims || typeof sub !== 'string' || sub === '') {
    throw new AuthenticationError('No verified identity on the request');
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
