// What the hand-written 835 (test/fixtures/remittance-835.ts: paid with CO-45 + PR-2, paid in full, denied CO-16
// with M51, a reversal, a PLB) does to each claim: its next status, the patient's ledger entries to the cent, and
// the denial work queue's entry. A denied line is not written off: it stays owed by insurance until acted on.
import { describe, expect, it } from 'vitest';
import { GOOD, interchange } from '../../test/fixtures/remittance-835.ts';
import { balancesOf } from './ledger.ts';
import type { ClaimStatus } from './lifecycle.ts';
import { planPosting } from './posting.ts';
import { effectsOf, type PostingClaim } from './remittance-effects.ts';
import { parseRemittances } from './x12/remittance-835.ts';

function claim(id: string, status: ClaimStatus, lines: [string, string, number][]): PostingClaim {
  return {
    id: `claim-${id}`,
    patientId: `patient-${id}`,
    controlNumber: `CLM${id}`,
    status,
    version: 3,
    serviceDate: '2026-11-20',
    total: lines.reduce((t, l) => t + l[2], 0),
    lines: lines.map(([controlNumber, code, charge]) => ({
      controlNumber,
      code,
      serviceDate: '2026-11-20',
      charge,
    })),
  };
}

const claims = new Map(
  [
    claim('A', 'accepted', [['A-1', '99214', 15000]]),
    claim('B', 'submitted', [['B-1', '83036', 4550]]),
    claim('C', 'accepted', [['C-1', '99213', 9500]]),
    claim('D', 'paid', [['D-1', '99213', 12000]]),
  ].map((c) => [c.controlNumber, c]),
);

function effects(text = interchange(GOOD)) {
  const [remittance] = parseRemittances(text);
  if (!remittance) throw new Error('no remittance');
  const plan = planPosting(remittance, claims);
  if (!plan.ok) throw new Error(plan.errors.join('; '));
  return Object.fromEntries(
    plan.claims.map((posting) => {
      const sent = claims.get(`CLM${posting.claimId.slice(-1)}`) as PostingClaim;
      const effect = effectsOf(sent, [posting], remittance.traceNumber, 'Medicare Part B');
      if ('error' in effect) throw new Error(effect.error);
      return [posting.claimId, effect];
    }),
  );
}

const entries = (e: ReturnType<typeof effects>[string] | undefined) =>
  (e?.ledger ?? []).map((l) => [l.kind, l.amount, l.description]);

describe('what a remittance does to each claim', () => {
  it('posts a partial payment: paid, CO-45 written off, PR-2 coinsurance to the patient', () => {
    const a = effects()['claim-A'];
    expect(a?.status).toBe('paid');
    expect(entries(a)).toEqual([
      ['insurance-payment', 10000, 'Medicare Part B paid'],
      ['adjustment', 3000, 'CO-45 Charge exceeds the fee schedule or contracted amount'],
      ['patient-responsibility', 2000, 'PR-2 Coinsurance'],
    ]);
    expect(a?.denial).toBeUndefined();
    // With the charge, insurance owes nothing more and the patient owes the coinsurance.
    const ledger = [{ kind: 'charge' as const, amount: 15000 }, ...(a?.ledger ?? [])];
    expect(balancesOf(ledger.map((l) => ({ ...l, postedAt: '' })))).toEqual({
      insurance: 0,
      patient: 2000,
      total: 2000,
    });
    expect(a?.result).toMatchObject({
      paid: 10000,
      patientResponsibility: 2000,
      payerClaimNumber: 'PAYER-A1',
    });
    expect(a?.result.lines[0]).toMatchObject({ lineControlNumber: 'A-1', allowed: 12000 });
  });

  it('posts a payment in full from submitted (the 835 before any 277CA)', () => {
    const b = effects()['claim-B'];
    expect(b?.status).toBe('paid');
    expect(entries(b)).toEqual([['insurance-payment', 4550, 'Medicare Part B paid']]);
  });

  it('queues a denial with its CARC, meaning and RARC, and writes nothing off', () => {
    const c = effects()['claim-C'];
    expect(c?.status).toBe('denied');
    expect(c?.ledger).toEqual([]);
    expect(c?.denial).toEqual({
      claimId: 'claim-C',
      patientId: 'patient-C',
      controlNumber: 'CLMC',
      outcome: 'denied',
      reasons: [
        {
          code: 'CO-16',
          meaning: 'Claim or service lacks information or has submission/billing errors',
          amount: 9500,
        },
      ],
      remarks: ['M51'],
      amount: 9500,
      serviceDate: '2026-11-20',
    });
  });

  it('reverses an earlier payment: negative payment and adjustment, the claim back to accepted', () => {
    const d = effects()['claim-D'];
    expect(d?.status).toBe('accepted');
    expect(entries(d)).toEqual([
      ['insurance-payment', -8000, 'Medicare Part B: payment reversed'],
      ['adjustment', -4000, 'CO-45 Charge exceeds the fee schedule or contracted amount'],
    ]);
  });

  it('applies a reversal and its correction to one claim in order', () => {
    const [remittance] = parseRemittances(
      interchange([
        'BPR*I*10*C*ACH************20261210',
        'TRN*1*EFT-0009*1512345678',
        'N1*PR*MEDICARE PART B',
        'CLP*CLMD*22*-120*-80**MB*PAYER-D1*11*1',
        'CAS*CO*45*-40',
        'CLP*CLMD*1*120*90**MB*PAYER-D1*11*1',
        'CAS*CO*45*30',
      ]),
    );
    const plan = remittance && planPosting(remittance, claims);
    if (!plan?.ok) throw new Error('not planned');
    const effect = effectsOf(claims.get('CLMD') as PostingClaim, plan.claims, 'EFT-0009', 'Medicare');
    expect(effect).toMatchObject({ status: 'paid', result: { paid: 1000 } });
  });

  it('refuses a payment to a claim whose status cannot take it', () => {
    const voided = claim('B', 'voided', [['B-1', '83036', 4550]]);
    const [remittance] = parseRemittances(interchange(GOOD));
    const plan = remittance && planPosting(remittance, new Map([...claims, ['CLMB', voided]]));
    if (!plan?.ok) throw new Error('not planned');
    const posting = plan.claims.find((c) => c.claimId === 'claim-B');
    expect(effectsOf(voided, posting ? [posting] : [], 'EFT-0001', 'Medicare')).toEqual({
      error: 'claim CLMB: a paid remittance cannot post to a voided claim',
    });
  });

  it('keeps a denied line of a partly paid claim open and writes off the paid line’s CO-45', () => {
    const e = claim('E', 'accepted', [
      ['E-1', '99214', 15000],
      ['E-2', '83036', 4550],
    ]);
    const [remittance] = parseRemittances(
      interchange([
        'BPR*I*100*C*ACH************20261210',
        'TRN*1*EFT-0002*1512345678',
        'CLP*CLME*1*195.5*100*20*MB*PAYER-E1*11*1',
        'SVC*HC:99214*150*100**1',
        'CAS*CO*45*30',
        'CAS*PR*2*20',
        'REF*6R*E-1',
        'SVC*HC:83036*45.5*0**1',
        'CAS*CO*97*45.5',
        'REF*6R*E-2',
      ]),
    );
    const plan = remittance && planPosting(remittance, new Map([['CLME', e]]));
    if (!plan?.ok) throw new Error('not planned');
    const effect = effectsOf(e, plan.claims, 'EFT-0002', 'Medicare');
    if ('error' in effect) throw new Error(effect.error);
    expect(effect.status).toBe('partially-paid');
    expect(effect.ledger.map((l) => [l.kind, l.amount])).toEqual([
      ['insurance-payment', 10000],
      ['adjustment', 3000],
      ['patient-responsibility', 2000],
    ]);
    expect(effect.denial).toMatchObject({
      outcome: 'partially-paid',
      amount: 4550,
      reasons: [{ code: 'CO-97' }],
    });
  });
});
