// Revenue-cycle reports and the patient ledger: the numbers a practice manager and a patient would check by hand.
import { describe, expect, it } from 'vitest';
import { balancesOf } from './ledger.ts';
import {
  agingBucket,
  arAging,
  collectionsByMonth,
  daysInAr,
  denialsByReasonAndPayer,
  firstPassAcceptanceRate,
} from './reports.ts';

describe('A/R aging', () => {
  it('puts each boundary day in the right bucket', () => {
    expect([0, 30, 31, 60, 61, 90, 91, 120, 121].map(agingBucket)).toEqual([
      '0-30',
      '0-30',
      '31-60',
      '31-60',
      '61-90',
      '61-90',
      '91-120',
      '91-120',
      '120+',
    ]);
  });

  it('ages open balances from the date of service, by payer, with a total row', () => {
    const rows = arAging(
      [
        { payer: 'ACME1', patientId: 'p1', serviceDate: '2026-11-20', balance: 10000 },
        { payer: 'ACME1', patientId: 'p2', serviceDate: '2026-09-01', balance: 5000 },
        { payer: 'MCR01', patientId: 'p1', serviceDate: '2026-07-01', balance: 2500 },
        { payer: 'patient', patientId: 'p1', serviceDate: '2026-10-15', balance: 2000 },
        { payer: 'MCR01', patientId: 'p3', serviceDate: '2026-11-01', balance: 0 },
      ],
      '2026-11-29',
      'payer',
    );
    expect(rows).toEqual([
      { key: 'ACME1', total: 15000, '0-30': 10000, '31-60': 0, '61-90': 5000, '91-120': 0, '120+': 0 },
      { key: 'MCR01', total: 2500, '0-30': 0, '31-60': 0, '61-90': 0, '91-120': 0, '120+': 2500 },
      { key: 'patient', total: 2000, '0-30': 0, '31-60': 2000, '61-90': 0, '91-120': 0, '120+': 0 },
      { key: 'total', total: 19500, '0-30': 10000, '31-60': 2000, '61-90': 5000, '91-120': 0, '120+': 2500 },
    ]);
  });
});

describe('claims reports', () => {
  const records = [
    { claimId: 'a', payer: 'ACME1', acceptedFirstTime: true, denialReasons: [] },
    { claimId: 'b', payer: 'ACME1', acceptedFirstTime: false, denialReasons: ['CO-16'] },
    { claimId: 'c', payer: 'ACME1', acceptedFirstTime: true, denialReasons: ['CO-16', 'CO-50'] },
    { claimId: 'd', payer: 'MCR01', acceptedFirstTime: true, denialReasons: ['CO-50'] },
  ];

  it('measures first-pass acceptance', () => {
    expect(firstPassAcceptanceRate(records)).toBe(0.75);
    expect(firstPassAcceptanceRate([])).toBeUndefined();
  });

  it('ranks denials by reason and payer, with the reason’s meaning and rate', () => {
    expect(denialsByReasonAndPayer(records)).toEqual([
      {
        payer: 'ACME1',
        reason: 'CO-16',
        meaning: 'Claim or service lacks information or has submission/billing errors',
        claims: 2,
        rate: 2 / 3,
      },
      {
        payer: 'ACME1',
        reason: 'CO-50',
        meaning: 'Not deemed a medical necessity by the payer',
        claims: 1,
        rate: 1 / 3,
      },
      {
        payer: 'MCR01',
        reason: 'CO-50',
        meaning: 'Not deemed a medical necessity by the payer',
        claims: 1,
        rate: 1,
      },
    ]);
  });

  it('computes days in A/R and collections by month', () => {
    expect(daysInAr(45_000_00, 90_000_00, 90)).toBe(45);
    expect(daysInAr(1, 0)).toBeUndefined();
    expect(
      collectionsByMonth([
        { postedAt: '2026-11-30T10:00:00Z', amount: 100, source: 'insurance' },
        { postedAt: '2026-10-02T10:00:00Z', amount: 50, source: 'patient' },
        { postedAt: '2026-11-01T10:00:00Z', amount: 25, source: 'patient' },
      ]),
    ).toEqual([
      { month: '2026-10', insurance: 0, patient: 50, total: 50 },
      { month: '2026-11', insurance: 100, patient: 25, total: 125 },
    ]);
  });
});

describe('patient ledger', () => {
  it('moves the patient share from insurance to the patient and takes payments and refunds', () => {
    const at = '2026-12-01T00:00:00Z';
    expect(
      balancesOf([
        { kind: 'charge', amount: 16500, postedAt: at },
        { kind: 'insurance-payment', amount: 9880, postedAt: at },
        { kind: 'adjustment', amount: 3900, postedAt: at },
        { kind: 'patient-responsibility', amount: 2720, postedAt: at },
      ]),
    ).toEqual({ insurance: 0, patient: 2720, total: 2720 });
    expect(
      balancesOf([
        { kind: 'charge', amount: 10000, postedAt: at },
        { kind: 'patient-responsibility', amount: 2000, postedAt: at },
        { kind: 'patient-payment', amount: 2500, postedAt: at },
        { kind: 'refund', amount: 500, postedAt: at },
      ]),
    ).toEqual({ insurance: 8000, patient: 0, total: 8000 });
  });

  it('reopens what insurance owes when a payment is reversed', () => {
    const at = '2026-12-01T00:00:00Z';
    expect(
      balancesOf([
        { kind: 'charge', amount: 10000, postedAt: at },
        { kind: 'insurance-payment', amount: 8000, postedAt: at },
        { kind: 'adjustment', amount: 2000, postedAt: at },
        { kind: 'insurance-payment', amount: -8000, postedAt: at },
        { kind: 'adjustment', amount: -2000, postedAt: at },
      ]),
    ).toEqual({ insurance: 10000, patient: 0, total: 10000 });
  });
});
