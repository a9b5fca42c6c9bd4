// The one policy function: may this principal do this to this record? Route role lists are the coarse gate;
// this is the object-level check every use case relies on.
import { hasRole, type Principal } from './principal.ts';
import { type Role, STAFF_ROLES } from './roles.ts';

export type Decision = 'allow' | 'deny' | 'conceal';

/**
 * What a referral granted an external provider (the referrals context stores these): the one referral, and the
 * one patient's demographics and packet that go with it, until `expiresAt`. Declared here, not in the context,
 * so this one policy function decides for every role (shared/ imports no context).
 */
export interface ExternalGrant {
  referralId: string;
  patientId: string;
  /** The directory practitioner the referral was sent to; an external-provider user is bound to one. */
  practitionerId: string;
  /** Epoch seconds (the table's TTL attribute). DynamoDB deletes expired items lazily, so readers check it too. */
  expiresAt: number;
}

export interface ProtectedResource {
  /** The patient whose data this is, when it is a patient's data. */
  patientId?: string;
  /** The referral the data belongs to, for an external provider's request. */
  referralId?: string;
  /** The grant stored for the referral and the calling practitioner, when there is one. */
  grant?: ExternalGrant;
}

/**
 * - Staff in one of the route's roles: allowed.
 * - A patient user: only its own patient's data; anything else is concealed (answered as 404, audited as denied).
 * - An external provider: only what an unexpired grant of its own practitioner covers (that referral and that
 *   referral's patient); anything else is concealed. An account bound to no practitioner is refused outright.
 *
 * `nowMs` is the instant the grant must still hold at (the clock's now in use cases; a parameter so the rule is
 * testable without moving time).
 */
export function authorize(
  principal: Principal,
  allowedRoles: readonly Role[],
  resource: ProtectedResource,
  nowMs: number = Date.now(),
): Decision {
  const staffRoles = principal.roles.filter((r) => (STAFF_ROLES as readonly Role[]).includes(r));
  if (staffRoles.some((r) => allowedRoles.includes(r))) return 'allow';
  if (hasRole(principal, 'patient') && allowedRoles.includes('patient')) {
    if (resource.patientId !== undefined && principal.patientId === resource.patientId) return 'allow';
    return resource.patientId !== undefined ? 'conceal' : 'deny';
  }
  if (hasRole(principal, 'external-provider') && allowedRoles.includes('external-provider'))
    return externalDecision(principal, resource, nowMs);
  return 'deny';
}

function externalDecision(principal: Principal, resource: ProtectedResource, nowMs: number): Decision {
  if (principal.practitionerId === undefined) return 'deny';
  const { grant } = resource;
  const named = resource.patientId !== undefined || resource.referralId !== undefined;
  if (!grant) return named ? 'conceal' : 'deny';
  const covers =
    grant.practitionerId === principal.practitionerId &&
    grant.expiresAt * 1000 > nowMs &&
    (resource.referralId === undefined || resource.referralId === grant.referralId) &&
    (resource.patientId === undefined || resource.patientId === grant.patientId) &&
    named;
  return covers ? 'allow' : 'conceal';
}

/**
 * The route-level gate alone: does the principal hold one of the route's roles? Used where the record's patient
 * is not in the path (a body field, or the stored record): the use case then calls authorize() on the record.
 */
export function mayCall(principal: Principal, allowedRoles: readonly Role[]): boolean {
  return principal.roles.some((r) => allowedRoles.includes(r));
}
