// Portal invitations: a single-use code the practice hands the patient through its own channel. Only a hash is
// stored, so a copy of the table cannot be used to sign up as someone; the code is short enough to read aloud.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';

/** No 0/O, 1/I/L: a code read over the phone must not be misheard. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 12;
export const INVITATION_DAYS = 7;

/** A new code in groups of four (ABCD-EFGH-JKMN): 31^12 ≈ 7.9 × 10^17 possibilities. */
export function newInvitationCode(): string {
  const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** Upper case without separators or spaces, so "abcd efgh-jkmn" matches. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '');
}

/** The stored form: SHA-256 of the normalised code with the tenant as salt (a code of one practice fails at another). */
export function hashInvitationCode(code: string, tenant: string): string {
  return createHash('sha256')
    .update(`${tenant}:${normalizeCode(code)}`)
    .digest('hex');
}

export interface StoredInvitation {
  codeHash: string;
  patientId: string;
  expiresAt: string;
  usedAt?: string;
}

export type RedeemDecision =
  | { ok: true; patientId: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' };

/** Whether a presented code redeems this invitation now. The store marks it used in the same conditional write. */
export function redeem(
  invitation: StoredInvitation,
  code: string,
  tenant: string,
  now: string,
): RedeemDecision {
  const presented = Buffer.from(hashInvitationCode(code, tenant), 'hex');
  const stored = Buffer.from(invitation.codeHash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored))
    return { ok: false, reason: 'invalid' };
  if (invitation.usedAt) return { ok: false, reason: 'used' };
  if (now >= invitation.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, patientId: invitation.patientId };
}

export function invitationExpiry(now: string): string {
  return new Date(Date.parse(now) + INVITATION_DAYS * 86_400_000).toISOString();
}
