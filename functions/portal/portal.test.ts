// Portal rules a family would notice: what a proxy may do and until when, when a result becomes visible and how
// long a clinician may hold it, and that an invitation code works once, for one practice, for seven days.
import { describe, expect, it } from 'vitest';
import { hashInvitationCode, invitationExpiry, newInvitationCode, redeem } from './invitation.ts';
import { eighteenthBirthday, grantEnds, type ProxyGrant, proxyMay } from './proxy.ts';
import { HoldTooLongError, placeHold, releasedAt, visibleToPatient } from './release.ts';

describe('proxy access', () => {
  const parent: ProxyGrant = {
    patientId: 'kid',
    proxyUserId: 'mum',
    relationship: 'parent',
    scope: 'full',
    start: '2020-01-01',
  };
  const kidBorn = '2010-06-15';

  it("ends a minor's proxy the day before the 18th birthday unless renewed as an adult", () => {
    expect(grantEnds(parent, kidBorn)).toBe('2028-06-14');
    expect(proxyMay(parent, 'results', '2028-06-14', kidBorn)).toEqual({ allowed: true });
    expect(proxyMay(parent, 'results', '2028-06-15', kidBorn)).toEqual({ allowed: false, reason: 'ended' });
    expect(grantEnds({ ...parent, start: '2028-07-01', renewedAsAdult: true }, kidBorn)).toBeUndefined();
    expect(grantEnds({ ...parent, end: '2025-01-01' }, kidBorn)).toBe('2025-01-01');
  });

  it('turns 29 February births 18 on 1 March in a common year', () => {
    expect(eighteenthBirthday('2008-02-29')).toBe('2026-03-01');
    expect(eighteenthBirthday('2012-02-29')).toBe('2030-03-01');
    expect(eighteenthBirthday('2010-02-28')).toBe('2028-02-28');
  });

  it('keeps a scheduling-and-messages proxy out of results, notes, billing and the record', () => {
    const caregiver: ProxyGrant = {
      ...parent,
      patientId: 'gran',
      scope: 'scheduling-and-messages',
      relationship: 'caregiver',
    };
    const granBorn = '1940-01-01';
    expect(proxyMay(caregiver, 'scheduling', '2026-11-29', granBorn)).toEqual({ allowed: true });
    expect(proxyMay(caregiver, 'messages', '2026-11-29', granBorn)).toEqual({ allowed: true });
    for (const area of ['results', 'notes', 'billing', 'record', 'requests'] as const) {
      expect(proxyMay(caregiver, area, '2026-11-29', granBorn)).toEqual({
        allowed: false,
        reason: 'out-of-scope',
      });
    }
  });

  it('refuses before the start, and from the day the patient revokes', () => {
    const later = { ...parent, start: '2027-01-01' };
    expect(proxyMay(later, 'messages', '2026-12-31', kidBorn)).toEqual({
      allowed: false,
      reason: 'not-started',
    });
    const revoked = { ...parent, revokedAt: '2026-11-29T08:00:00Z' };
    expect(proxyMay(revoked, 'messages', '2026-11-28', kidBorn)).toEqual({ allowed: true });
    expect(proxyMay(revoked, 'messages', '2026-11-29', kidBorn)).toEqual({
      allowed: false,
      reason: 'revoked',
    });
  });
});

describe('release of results and notes', () => {
  const final = { status: 'final', finalAt: '2026-11-29T10:00:00Z' };

  it('shows a final result at once and a preliminary one never', () => {
    expect(visibleToPatient(final, '2026-11-29T10:00:00Z')).toBe(true);
    expect(visibleToPatient(final, '2026-11-29T09:59:59Z')).toBe(false);
    expect(
      visibleToPatient({ status: 'preliminary', finalAt: '2026-11-29T10:00:00Z' }, '2027-01-01T00:00:00Z'),
    ).toBe(false);
    expect(visibleToPatient({ status: 'draft' }, '2027-01-01T00:00:00Z')).toBe(false);
    expect(
      visibleToPatient({ status: 'corrected', finalAt: '2026-11-29T10:00:00Z' }, '2026-11-30T00:00:00Z'),
    ).toBe(true);
  });

  it('holds a result until the hold ends, or until the clinician releases it early', () => {
    const hold = placeHold('preventing-harm', 3, '2026-11-29T10:00:00Z', 'clinician-1', 7);
    expect(hold.until).toBe('2026-12-02T10:00:00.000Z');
    const held = { ...final, hold };
    expect(visibleToPatient(held, '2026-12-01T10:00:00Z')).toBe(false);
    expect(releasedAt(held)).toBe('2026-12-02T10:00:00.000Z');
    expect(
      visibleToPatient({ ...held, releasedEarlyAt: '2026-11-30T08:00:00Z' }, '2026-11-30T09:00:00Z'),
    ).toBe(true);
  });

  it("refuses a hold past the practice's maximum", () => {
    expect(() => placeHold('privacy', 8, '2026-11-29T10:00:00Z', 'c', 7)).toThrow(HoldTooLongError);
    expect(() => placeHold('privacy', 0, '2026-11-29T10:00:00Z', 'c', 7)).toThrow(HoldTooLongError);
    expect(placeHold('privacy', 7, '2026-11-29T10:00:00Z', 'c', 7).reason).toBe('privacy');
  });
});

describe('portal invitations', () => {
  const now = '2026-11-29T10:00:00.000Z';
  const code = newInvitationCode();
  const invitation = {
    codeHash: hashInvitationCode(code, 'demo'),
    patientId: 'p1',
    expiresAt: invitationExpiry(now),
  };

  it('issues readable codes without look-alike characters', () => {
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(new Set(Array.from({ length: 50 }, newInvitationCode)).size).toBe(50);
  });

  it('links exactly the invited patient, forgiving case and spacing', () => {
    expect(redeem(invitation, code.toLowerCase().replaceAll('-', ' '), 'demo', now)).toEqual({
      ok: true,
      patientId: 'p1',
    });
  });

  it('refuses a wrong code, another practice, a used or an expired invitation', () => {
    expect(redeem(invitation, 'AAAA-BBBB-CCCC', 'demo', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(redeem(invitation, code, 'other-practice', now)).toEqual({ ok: false, reason: 'invalid' });
    expect(redeem({ ...invitation, usedAt: now }, code, 'demo', now)).toEqual({ ok: false, reason: 'used' });
    expect(redeem(invitation, code, 'demo', '2026-12-06T10:00:00.000Z')).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect(redeem(invitation, code, 'demo', '2026-12-06T09:59:59.000Z')).toEqual({
      ok: true,
      patientId: 'p1',
    });
  });
});
