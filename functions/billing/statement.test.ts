// The statement a patient receives: one line per claim with what insurance paid and adjusted and what they owe,
// payments not tied to a claim on their own lines, and the amount due (a credit is shown, never billed).
import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from './account-schemas.ts';
import { ledgerTotals, statementOf } from './statement.ts';

let n = 0;
const entry = (kind: LedgerEntry['kind'], amount: number, extra: Partial<LedgerEntry> = {}) => ({
  id: `E${++n}`,
  kind,
  amount,
  postedAt: `2026-11-${String(10 + n).padStart(2, '0')}T10:00:00.000Z`,
  description: kind,
  ...extra,
});
const holder = { id: 'P1', name: 'Ada Demo', address: ['2 Oak Ave', 'Springfield IL 62702'] };

describe('the statement', () => {
  const visit = { claimId: 'C1', serviceDate: '2026-11-03' };
  const entries = [
    entry('charge', 15000, { ...visit, description: '99214' }),
    entry('insurance-payment', 10000, visit),
    entry('adjustment', 3000, visit),
    entry('patient-responsibility', 2000, visit),
    entry('patient-payment', 500, { description: 'Payment: Cash 5.00' }),
  ];

  it('bills the patient what the payer left them, less what they paid', () => {
    const s = statementOf(holder, entries, '2026-11-30');
    expect(s.lines).toEqual([
      {
        ...visit,
        description: '99214',
        charges: 15000,
        insurancePaid: 10000,
        adjustments: 3000,
        patientPaid: 0,
        patientBalance: 2000,
      },
      {
        description: 'Payment: Cash 5.00',
        charges: 0,
        insurancePaid: 0,
        adjustments: 0,
        patientPaid: 500,
        patientBalance: -500,
      },
    ]);
    expect(s.balances).toEqual({ insurance: 0, patient: 1500, total: 1500 });
    expect(s.amountDue).toBe(1500);
    expect(s.dueDate).toBe('2026-12-30');
  });

  it('shows a credit but bills nothing', () => {
    const s = statementOf(holder, [...entries, entry('patient-payment', 3000)], '2026-11-30');
    expect(s.balances.patient).toBe(-1500);
    expect(s.amountDue).toBe(0);
  });

  it('totals the ledger by kind', () => {
    expect(ledgerTotals([...entries, entry('refund', 200)])).toEqual({
      charges: 15000,
      insurancePayments: 10000,
      adjustments: 3000,
      patientResponsibility: 2000,
      patientPayments: 500,
      refunds: 200,
    });
  });
});
