// The external provider's access that a referral carries (issue 12, built by ref-ext): the writes that grant the
// recipient practitioner's users the referral, its packet and the patient's demographics when it is sent, and the
// writes that revoke them when it is cancelled or closed. Send, cancel and close commit these in their one
// TransactWriteItems, so a grant exists exactly while its referral is open.
import type { WriteOp } from '#shared/write.ts';
import type { Referral } from './schemas.ts';

/** Writes that create the recipient's time-boxed grant (default 90 days, stored with TTL) for a sent referral. */
export function grantWrites(_referral: Referral): WriteOp[] {
  // TODO(ref-ext): the grant items (keyed by the recipient practitioner, with expiresAt) land with ref-ext's work.
  return [];
}

/** Writes that remove the grant of a referral being cancelled or closed. */
export function revokeWrites(_referral: Referral): WriteOp[] {
  // TODO(ref-ext): delete the grant items grantWrites() put.
  return [];
}
