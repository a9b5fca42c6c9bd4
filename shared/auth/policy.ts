// The one policy function: may this principal do this to this record? Route role lists are the coarse gate;
// this is the object-level check every use case relies on.
import { hasRole, type Principal } from './principal.ts';
import { type Role, STAFF_ROLES } from './roles.ts';

export type Decision = 'allow' | 'deny' | 'conceal';

export interface ProtectedResource {
  /** The patient whose data this is, when it is a patient's data. */
  patientId?: string;
}

/**
 * - Staff in one of the route's roles: allowed.
 * - A patient user: only its own patient's data; anything else is concealed (answered as 404, audited as denied).
 * - An external provider: nothing until a referral grants access (referrals issue).
 */
export function authorize(
  principal: Principal,
  allowedRoles: readonly Role[],
  resource: ProtectedResource,
): Decision {
  const staffRoles = principal.roles.filter((r) => (STAFF_ROLES as readonly Role[]).includes(r));
  if (staffRoles.some((r) => allowedRoles.includes(r))) return 'allow';
  if (hasRole(principal, 'patient') && allowedRoles.includes('patient')) {
    if (resource.patientId !== undefined && principal.patientId === resource.patientId) return 'allow';
    return resource.patientId !== undefined ? 'conceal' : 'deny';
  }
  return 'deny';
}

/**
 * The route-level gate alone: does the principal hold one of the route's roles? Used where the record's patient
 * is not in the path (a body field, or the stored record): the use case then calls authorize() on the record.
 */
export function mayCall(principal: Principal, allowedRoles: readonly Role[]): boolean {
  return principal.roles.some((r) => allowedRoles.includes(r));
}
