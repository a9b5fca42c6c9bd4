// The local clearinghouse answers a real 837P batch with a 999, a 277CA and an 835 that parses, balances and
// posts against the claims that were sent.
import { describe, expect, it } from 'vitest';
import type { BillingProfile, Claim } from '#functions/billing/model.ts';
import { planPosting, type SentClaim } from '#functions/billing/posting.ts';
import { parse277CA, parse999 } from '#functions/billing/x12/acknowledgements.ts';
import { buildClaimBatch } from '#functions/billing/x12/claim-837p.ts';
import { balancingErrors, parseRemittances } from '#functions/billing/x12/remittance-835.ts';
import { withNpiCheckDigit } from '#shared/npi.ts';
import { adjudicate, DEFAULT_RULES, read837 } from './adjudicate.ts';

const profile: BillingProfile = {
  name: 'Demo Family Practice',
  npi: withNpiCheckDigit('123456789'),
  taxId: '123456789',
  taxonomy: '207Q00000X',
  address: { line: ['1 Main St'], city: 'Springfield', state: 'IL', postalCode: '627011234' },
  submitter: {
    id: 'DEMOSUB',
    name: 'Demo Family Practice',
    contactName: 'Billing Office',
    phone: '2175550100',
  },
  receiver: { id: 'LOCALCH', name: 'Local Clearinghouse' },
};

function claim(n: number): Claim {
  return {
    id: `claim-${n}`,
    controlNumber: `CLM${String(n).padStart(6, '0')}`,
    frequency: '1',
    patient: {
      name: { family: 'Demo', given: [`Pat${n}`] },
      birthDate: '1960-01-01',
      sex: 'female',
      address: { line: ['2 Oak Ave'], city: 'Springfield', state: 'IL', postalCode: '62702' },
    },
    coverage: {
      id: 'cov',
      payer: { id: 'p', name: 'Acme Health', payerId: 'ACME1', filingIndicator: 'CI', timelyFilingDays: 180 },
      order: 'primary',
      memberId: `M${n}`,
      relationship: 'self',
      subscriber: { name: { family: 'Demo', given: [`Pat${n}`] }, birthDate: '1960-01-01', sex: 'female' },
      start: '2026-01-01',
    },
    diagnoses: ['E11.9'],
    lines: [
      {
        lineNumber: 1,
        controlNumber: `${n}-1`,
        code: '99213',
        modifiers: [],
        units: 1,
        charge: 12000,
        serviceDate: '2026-11-20',
        placeOfService: '11',
        diagnosisPointers: [1],
      },
      {
        lineNumber: 2,
        controlNumber: `${n}-2`,
        code: '83036',
        modifiers: [],
        units: 1,
        charge: 4500,
        serviceDate: '2026-11-20',
        placeOfService: '11',
        diagnosisPointers: [1],
      },
    ],
    renderingProvider: { name: { family: 'Careful', given: ['Clara'] }, npi: withNpiCheckDigit('987654321') },
  };
}

const claims = Array.from({ length: 40 }, (_, i) => claim(i + 1));
const text = buildClaimBatch({
  profile,
  claims,
  interchangeControlNumber: 1,
  groupControlNumber: 1,
  batchReference: 'B1',
  createdAt: new Date('2026-11-29T12:00:00Z'),
  usage: 'T',
});
const sent = new Map<string, SentClaim>(
  claims.map((c) => [
    c.controlNumber,
    {
      id: c.id,
      patientId: `patient-${c.id}`,
      controlNumber: c.controlNumber,
      status: 'submitted',
      total: 16500,
      lines: c.lines.map((l) => ({
        controlNumber: l.controlNumber,
        code: l.code,
        serviceDate: l.serviceDate,
        charge: l.charge,
      })),
    },
  ]),
);
const counters = { interchangeControlNumber: 100, createdAt: new Date('2026-12-01T09:00:00Z') };

describe('local clearinghouse', () => {
  it('reads back every claim and line of the batch', () => {
    const batch = read837(text);
    expect(batch.claims).toHaveLength(40);
    expect(batch.claims[0]).toMatchObject({
      controlNumber: 'CLM000001',
      charge: 16500,
      payerId: 'ACME1',
      memberId: 'M1',
    });
    expect(batch.claims[0]?.lines.map((l) => l.controlNumber)).toEqual(['1-1', '1-2']);
  });

  it('pays every line by the allowed amount less the patient share, and the 835 balances and posts', () => {
    const result = adjudicate(
      text,
      { ...DEFAULT_RULES, allowed: (code) => (code === '99213' ? 9000 : undefined) },
      counters,
    );
    expect(parse999(result.ack999)[0]?.result).toBe('A');
    expect(parse277CA(result.ack277)[0]?.claims.every((c) => c.accepted)).toBe(true);
    const [remittance] = parseRemittances(result.remittance ?? '');
    if (!remittance) throw new Error('no 835');
    expect(balancingErrors(remittance)).toEqual([]);
    const plan = planPosting(remittance, sent);
    if (!plan.ok) throw new Error(plan.errors.join('; '));
    // 99213: allowed 90, copay 20 → paid 70, CO-45 30. 83036: allowed 36 (80 %), coinsurance 7.20 → paid 28.80.
    expect(plan.claims[0]).toMatchObject({
      outcome: 'paid',
      paid: 9880,
      writtenOff: 3900,
      patientResponsibility: 2720,
    });
  });

  it('rejects and denies the configured shares, and what it rejects never reaches the 835', () => {
    const result = adjudicate(
      text,
      { ...DEFAULT_RULES, rejectShare: 0.25, denyShare: 0.25, denyReasons: ['16', '50'] },
      counters,
    );
    expect(result.rejected.length).toBeGreaterThan(2);
    expect(result.denied.length).toBeGreaterThan(2);
    const [remittance] = parseRemittances(result.remittance ?? '');
    if (!remittance) throw new Error('no 835');
    expect(remittance.claims.map((c) => c.claimControlNumber).sort()).toEqual([...result.accepted].sort());
    expect(remittance.claims.some((c) => result.rejected.includes(c.claimControlNumber))).toBe(false);
    const plan = planPosting(remittance, sent);
    if (!plan.ok) throw new Error(plan.errors.join('; '));
    const deniedOutcomes = plan.claims.filter((c) => c.outcome === 'denied');
    expect(deniedOutcomes.map((c) => c.claimId).length).toBe(result.denied.length);
    expect(new Set(deniedOutcomes.flatMap((c) => c.denialReasons))).toEqual(new Set(['CO-16', 'CO-50']));
  });

  it('answers the same batch the same way every time', () => {
    const rules = { ...DEFAULT_RULES, rejectShare: 0.3, denyShare: 0.3 };
    expect(adjudicate(text, rules, counters)).toEqual(adjudicate(text, rules, counters));
  });
});
