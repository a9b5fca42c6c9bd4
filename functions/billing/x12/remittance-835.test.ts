// 835 remittances written by hand from the 005010X221A1 guide: parsed, then balanced before anything posts.
import { describe, expect, it } from 'vitest';
import { GOOD, interchange } from '../../../test/fixtures/remittance-835.ts';
import { balancingErrors, parseRemittances, RemittanceFormatError } from './remittance-835.ts';

describe('835 remittance', () => {
  it('reads payments, adjustments, remarks and line control numbers', () => {
    const [remittance] = parseRemittances(interchange(GOOD));
    expect(remittance).toBeDefined();
    if (!remittance) return;
    expect(remittance.traceNumber).toBe('EFT-0001');
    expect(remittance.totalPaid).toBe(6050);
    expect(remittance.paymentDate).toBe('2026-12-10');
    expect(remittance.payerIdentifier).toBe('MCR01');
    expect(remittance.payeeNpi).toBe('1234567893');
    expect(remittance.claims.map((c) => [c.claimControlNumber, c.status, c.billed, c.paid])).toEqual([
      ['CLMA', '1', 15000, 10000],
      ['CLMB', '1', 4550, 4550],
      ['CLMC', '4', 9500, 0],
      ['CLMD', '22', -12000, -8000],
    ]);
    const [a, , c, d] = remittance.claims;
    expect(a?.patientResponsibility).toBe(2000);
    expect(a?.payerClaimNumber).toBe('PAYER-A1');
    expect(a?.lines[0]).toMatchObject({
      procedure: { code: '99214', modifiers: ['25'] },
      lineControlNumber: 'A-1',
      allowed: 12000,
      serviceDate: '2026-11-20',
      adjustments: [
        { group: 'CO', reason: '45', amount: 3000 },
        { group: 'PR', reason: '2', amount: 2000 },
      ],
    });
    expect(c?.lines[0]?.remarks).toEqual(['M51']);
    expect(c?.lines[0]?.adjustments).toEqual([{ group: 'CO', reason: '16', amount: 9500 }]);
    expect(d?.adjustments).toEqual([{ group: 'CO', reason: '45', amount: -4000 }]);
    expect(remittance.providerAdjustments).toEqual([{ reason: 'WO', reference: 'PAYER-Z9', amount: 500 }]);
  });

  it('balances when billed − paid equals the adjustments and the check equals payments less PLB', () => {
    const [remittance] = parseRemittances(interchange(GOOD));
    expect(remittance && balancingErrors(remittance)).toEqual([]);
  });

  it('names every rule an unbalanced remittance breaks', () => {
    const broken = GOOD.map((s) =>
      s === 'CAS*CO*45*30' ? 'CAS*CO*45*25' : s.startsWith('BPR*') ? s.replace('*60.5*', '*65.5*') : s,
    );
    const [remittance] = parseRemittances(interchange(broken));
    expect(remittance && balancingErrors(remittance)).toEqual([
      'claim CLMA: billed − paid does not equal its adjustments',
      'claim CLMA line 1: billed − paid does not equal its adjustments',
      'the payment total (BPR02) does not equal the claims paid less provider adjustments',
    ]);
  });

  it('catches lines whose payments do not add up to the claim', () => {
    const broken = GOOD.map((s) => (s === 'SVC*HC:83036*45.5*45.5**1' ? 'SVC*HC:83036*45.5*40.5**1' : s));
    const withCas = broken.flatMap((s) => (s === 'REF*6R*B-1' ? ['CAS*CO*45*5', s] : [s]));
    const [remittance] = parseRemittances(interchange(withCas));
    expect(remittance && balancingErrors(remittance)).toEqual([
      'claim CLMB: billed − paid does not equal its adjustments',
      "claim CLMB: the lines' payments do not add up to the claim's",
    ]);
  });

  it('refuses what is not a well-formed 835', () => {
    expect(() => parseRemittances('hello')).toThrow(RemittanceFormatError);
    expect(() => parseRemittances(interchange(GOOD, GOOD.length + 5))).toThrow(/SE01/);
    expect(() => parseRemittances(interchange(GOOD.filter((s) => !s.startsWith('TRN'))))).toThrow(/TRN02/);
    expect(() =>
      parseRemittances(
        interchange(GOOD.map((s) => (s.startsWith('CLP*CLMB') ? 'CLP*CLMB*99*45.5*45.5' : s))),
      ),
    ).toThrow(/CLP02/);
    expect(() =>
      parseRemittances(interchange(GOOD.map((s) => (s === 'CAS*PR*2*20' ? 'CAS*XX*2*20' : s)))),
    ).toThrow(/CAS01/);
    expect(() =>
      parseRemittances(interchange(GOOD.map((s) => (s === 'AMT*B6*120' ? 'AMT*B6*12O' : s)))),
    ).toThrow(/allowed/);
  });
});
