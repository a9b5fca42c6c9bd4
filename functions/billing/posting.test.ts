// Posting plans from a hand-written 835: what each claim's outcome is, what the practice writes off, what the
// patient owes, and what lands on the denial queue; anything unmatched or unbalanced posts nothing.
import { describe, expect, it } from 'vitest';
import { GOOD, interchange } from '../../test/fixtures/remittance-835.ts';
import { planPosting, type SentClaim } from './posting.ts';
import { parseRemittances } from './x12/remittance-835.ts';

function sent(id: string, lines: [string, string, number][]): SentClaim {
  return {
    id: `claim-${id}`,
    patientId: `patient-${id}`,
    controlNumber: `CLM${id}`,
    status: 'accepted',
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
    sent('A', [['A-1', '99214', 15000]]),
    sent('B', [['B-1', '83036', 4550]]),
    sent('C', [['C-1', '99213', 9500]]),
    sent('D', [['D-1', '99213', 12000]]),
  ].map((c) => [c.controlNumber, c]),
);
const remittance = () => {
  const [r] = parseRemittances(interchange(GOOD));
  if (!r) throw new Error('no remittance');
  return r;
};

describe('posting a remittance', () => {
  it('pays, adjusts, bills the patient and queues denials claim by claim', () => {
    const plan = planPosting(remittance(), claims);
    if (!plan.ok) throw new Error(plan.errors.join('; '));
    const byId = Object.fromEntries(plan.claims.map((c) => [c.claimId, c]));
    expect(byId['claim-A']).toMatchObject({
      outcome: 'paid',
      paid: 10000,
      writtenOff: 3000,
      patientResponsibility: 2000,
      payerClaimNumber: 'PAYER-A1',
      denialReasons: [],
    });
    expect(byId['claim-A']?.lines).toEqual([
      {
        lineControlNumber: 'A-1',
        paid: 10000,
        allowed: 12000,
        adjustments: [
          { group: 'CO', reason: '45', amount: 3000 },
          { group: 'PR', reason: '2', amount: 2000 },
        ],
        remarks: [],
        denied: false,
      },
    ]);
    expect(byId['claim-B']).toMatchObject({
      outcome: 'paid',
      paid: 4550,
      writtenOff: 0,
      patientResponsibility: 0,
    });
    expect(byId['claim-C']).toMatchObject({ outcome: 'denied', paid: 0, denialReasons: ['CO-16'] });
    expect(byId['claim-C']?.lines[0]?.remarks).toEqual(['M51']);
    expect(byId['claim-D']).toMatchObject({ outcome: 'reversed', paid: -8000, writtenOff: -4000 });
    expect(plan.providerAdjustments).toEqual([{ reason: 'WO', reference: 'PAYER-Z9', amount: 500 }]);
  });

  it('marks a claim partially paid when one line is denied and another paid', () => {
    const body = [
      'BPR*I*100*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999988880*DA*98765*20261210',
      'TRN*1*EFT-0002*1512345678',
      'CLP*CLME*1*195.5*100*20*MB*PAYER-E1*11*1',
      'SVC*HC:99214*150*100**1',
      'CAS*CO*45*30',
      'CAS*PR*2*20',
      'REF*6R*E-1',
      'SVC*HC:83036*45.5*0**1',
      'CAS*CO*97*45.5',
      'REF*6R*E-2',
    ];
    const [r] = parseRemittances(interchange(body));
    const e = sent('E', [
      ['E-1', '99214', 15000],
      ['E-2', '83036', 4550],
    ]);
    const plan = r && planPosting(r, new Map([[e.controlNumber, e]]));
    expect(plan).toMatchObject({
      ok: true,
      claims: [{ outcome: 'partially-paid', denialReasons: ['CO-97'] }],
    });
  });

  it('treats a claim applied wholly to the deductible as paid, the patient owing it, not as a denial', () => {
    const body = [
      'BPR*H*0*C*NON************20261210',
      'TRN*1*EOB-0003*1512345678',
      'CLP*CLMF*1*95*0*95*MB*PAYER-F1*11*1',
      'SVC*HC:99213*95*0**1',
      'CAS*PR*1*95',
      'REF*6R*F-1',
    ];
    const [r] = parseRemittances(interchange(body));
    const f = sent('F', [['F-1', '99213', 9500]]);
    expect(r && planPosting(r, new Map([[f.controlNumber, f]]))).toMatchObject({
      ok: true,
      claims: [{ outcome: 'paid', paid: 0, patientResponsibility: 9500, denialReasons: [] }],
    });
  });

  it('rejects the whole remittance when a claim or line matches nothing of the practice', () => {
    const withoutA = new Map([...claims].filter(([k]) => k !== 'CLMA'));
    expect(planPosting(remittance(), withoutA)).toEqual({
      ok: false,
      errors: ['claim CLMA: no claim of this practice has that control number'],
    });
    const otherLine = new Map(claims);
    otherLine.set('CLMB', sent('B', [['B-9', '83036', 4550]]));
    expect(planPosting(remittance(), otherLine)).toEqual({
      ok: false,
      errors: ['claim CLMB line 1: matches no line of the claim'],
    });
  });

  it('rejects an unbalanced remittance whole', () => {
    const [r] = parseRemittances(
      interchange(GOOD.map((s) => (s.startsWith('BPR*') ? s.replace('*60.5*', '*61*') : s))),
    );
    const plan = r && planPosting(r, claims);
    expect(plan?.ok).toBe(false);
  });
});
