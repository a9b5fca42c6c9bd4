// 999 and 277CA acknowledgements: what the local clearinghouse builds, any clearinghouse's parse back the same.
import { describe, expect, it } from 'vitest';
import { build277CA, build999, parse277CA, parse999 } from './acknowledgements.ts';
import { X12FormatError } from './envelope.ts';

const parties = {
  senderId: 'LOCALCH',
  receiverId: 'DEMOSUB',
  interchangeControlNumber: 5001,
  groupControlNumber: 5001,
  createdAt: new Date('2026-11-29T18:00:00Z'),
  usage: 'T' as const,
};

describe('999 implementation acknowledgement', () => {
  it('round-trips accepted and rejected transaction sets with their reasons', () => {
    const text = build999(parties, {
      groupControlNumber: '7',
      transactionSets: [
        { controlNumber: '0001', result: 'A', errors: [] },
        { controlNumber: '0002', result: 'R', errors: ['CLM02 does not equal the lines'] },
      ],
      result: 'E',
    });
    expect(text).toContain('AK9*E*2*2*1~');
    expect(parse999(text)).toEqual([
      {
        groupControlNumber: '7',
        transactionSets: [
          { controlNumber: '0001', result: 'A', errors: [] },
          { controlNumber: '0002', result: 'R', errors: ['CLM02 does not equal the lines'] },
        ],
        result: 'E',
      },
    ]);
  });
});

describe('277CA claim acknowledgement', () => {
  const text = build277CA(parties, {
    batchReference: 'BATCH-1',
    payer: { name: 'Local Clearinghouse', id: 'LOCALCH' },
    submitter: { name: 'Demo Family Practice', id: 'DEMOSUB' },
    billingProvider: { name: 'Demo Family Practice', npi: '1234567893' },
    patients: {
      CLMA: { family: 'Demo', given: 'Ada', memberId: 'M1', serviceDate: '2026-11-20' },
      CLMB: { family: 'Demo', given: 'Bea', memberId: 'M2', serviceDate: '2026-11-21' },
    },
    claims: [
      {
        claimControlNumber: 'CLMA',
        accepted: true,
        status: 'A2:20:PR',
        payerClaimNumber: 'PAYER-A1',
        amount: 19550,
      },
      { claimControlNumber: 'CLMB', accepted: false, status: 'A7:562:85', amount: 9500 },
    ],
  });

  it('says claim by claim whether it entered adjudication, with the payer claim number', () => {
    expect(parse277CA(text)).toEqual([
      {
        batchReference: 'BATCH-1',
        claims: [
          {
            claimControlNumber: 'CLMA',
            accepted: true,
            status: 'A2:20:PR',
            payerClaimNumber: 'PAYER-A1',
            amount: 19550,
          },
          { claimControlNumber: 'CLMB', accepted: false, status: 'A7:562:85', amount: 9500 },
        ],
      },
    ]);
  });

  it('totals accepted and rejected claims at the submitter level', () => {
    expect(text).toContain('QTY*90*1~QTY*AA*1~AMT*YU*195.5~AMT*YY*95~');
  });

  it('refuses another transaction set', () => {
    expect(() =>
      parse277CA(build999(parties, { groupControlNumber: '1', transactionSets: [], result: 'A' })),
    ).toThrow(X12FormatError);
  });
});
