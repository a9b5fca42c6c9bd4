// The external provider's access that a referral carries: the writes that grant the recipient practitioner's users
// the referral, its packet and the patient's demographics when it is sent, and the writes that revoke them when it
// is cancelled or closed. Send, cancel and close commit these in their one TransactWriteItems, so a grant exists
// exactly while its referral is open (decision 33). What a grant opens is decided by shared/auth/policy.ts.
import type { WriteOp } from '#shared/write.ts';
import type { ReferralGrant } from './external-schemas.ts';
import { grantDelete, grantPut } from './external-store.ts';
import type { Referral } from './schemas.ts';

/** How long a referral's recipient may reach it, unless the referral says otherwise (`grantExpiresAt`). */
export const GRANT_DAYS = 90;

/** Epoch seconds `days` after `sentAt` (the grant's TTL attribute). */
export function grantExpiry(sentAt: string, days: number = GRANT_DAYS): number {
  return Math.floor(Date.parse(sentAt) / 1000) + days * 86_400;
}

/**
 * The grant a sent referral gives its recipient: only a practitioner of the directory has users bound to it
 * (an organisation receives through the FHIR store), so a referral to an organisation grants no one.
 */
export function grantFor(referral: Referral): ReferralGrant | undefined {
  if (referral.recipient.kind !== 'practitioner' || referral.sentAt === undefined) return undefined;
  return {
    referralId: referral.id,
    patientId: referral.patientId,
    practitionerId: referral.recipient.id,
    organization: { id: referral.recipient.organizationId, name: referral.recipient.organizationName },
    grantedAt: referral.sentAt,
    expiresAt: referral.grantExpiresAt ?? grantExpiry(referral.sentAt),
  };
}

/** Writes that create the recipient's time-boxed grant (default 90 days, stored with TTL) for a sent referral. */
export function grantWrites(referral: Referral): WriteOp[] {
  const grant = grantFor(referral);
  return grant ? [grantPut(grant)] : [];
}

/** Writes that remove the grant of a referral being cancelled or closed (nothing fails if it is already gone). */
export function revokeWrites(referral: Referral): WriteOp[] {
  return referral.recipient.kind === 'practitioner' ? [grantDelete(referral.recipient.id, referral.id)] : [];
}
