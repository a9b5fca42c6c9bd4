// What a sent referral grants, without the database: only a practitioner recipient, 90 days from sending unless
// the referral says otherwise, revoked by deleting the same key.
import { beforeAll, describe, expect, it } from 'vitest';
import { resetConfig } from '#shared/config.ts';
import { grantExpiry, grantFor, grantWrites, revokeWrites } from './grants.ts';
import type { Referral } from './schemas.ts';

const referral = (overrides: Partial<Referral> = {}): Referral =>
  ({
    id: 'R1',
    patientId: 'P1',
    status: 'sent',
    sentAt: '2026-12-01T00:00:00.000Z',
    recipient: {
      id: 'DOC',
      kind: 'practitioner',
      name: 'Dr. Okafor',
      npi: '1234567893',
      organizationId: 'ORG',
      organizationName: 'Hudson Heart Associates',
    },
    ...overrides,
  }) as Referral;

beforeAll(() => {
  // The writes name the table; no database is reached.
  process.env.TABLE_NAME ??= 'continuum-unit';
  resetConfig();
});

describe('grants', () => {
  it('grants the practitioner the referral and its patient for 90 days from sending', () => {
    expect(grantFor(referral())).toEqual({
      referralId: 'R1',
      patientId: 'P1',
      practitionerId: 'DOC',
      organization: { id: 'ORG', name: 'Hudson Heart Associates' },
      grantedAt: '2026-12-01T00:00:00.000Z',
      expiresAt: Date.parse('2027-03-01T00:00:00.000Z') / 1000,
    });
    expect(grantExpiry('2026-12-01T00:00:00.000Z', 1)).toBe(Date.parse('2026-12-02T00:00:00Z') / 1000);
    expect(grantFor(referral({ grantExpiresAt: 123 }))?.expiresAt).toBe(123);
  });

  it('grants nothing for an organisation recipient or an unsent referral', () => {
    const org = referral({ recipient: { ...referral().recipient, kind: 'organization' } });
    expect(grantWrites(org)).toEqual([]);
    expect(revokeWrites(org)).toEqual([]);
    expect(grantWrites(referral({ sentAt: undefined }))).toEqual([]);
  });

  it('revokes by deleting the key it granted under', () => {
    const put = grantWrites(referral())[0]?.item.Put?.Item as Record<string, unknown>;
    const key = revokeWrites(referral())[0]?.item.Delete?.Key;
    expect(key).toEqual({ pk: put.pk, sk: put.sk });
    expect(put.expiresAt).toBe(grantFor(referral())?.expiresAt);
  });
});
