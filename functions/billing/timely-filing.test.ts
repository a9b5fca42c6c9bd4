// The daily timely-filing check: which unsent claims are flagged, from the earliest date of service and the payer's
// limit, soonest deadline first; a claim past its limit is flagged too (days left negative: CARC 29 awaits it).
import { describe, expect, it } from 'vitest';
import { nearingTimelyFiling } from './timely-filing.ts';

const claim = (id: string, payerId: string, ...dates: string[]) => ({
  id,
  patientId: `p-${id}`,
  payerId,
  lines: dates.map((serviceDate) => ({ serviceDate })),
});
const limits = new Map([
  ['medicare', 365],
  ['acme', 90],
]);

describe('timely filing', () => {
  it('flags claims whose limit falls within the warning window, soonest first', () => {
    const flags = nearingTimelyFiling(
      [
        claim('fresh', 'acme', '2026-11-20'),
        claim('near', 'acme', '2026-09-15', '2026-09-10'),
        claim('late', 'medicare', '2025-11-01'),
        claim('unknown-payer', 'other', '2020-01-01'),
      ],
      limits,
      '2026-11-30',
      30,
    );
    expect(flags).toEqual([
      {
        claimId: 'late',
        patientId: 'p-late',
        payerId: 'medicare',
        serviceDate: '2025-11-01',
        deadline: '2026-11-01',
        daysLeft: -29,
      },
      {
        claimId: 'near',
        patientId: 'p-near',
        payerId: 'acme',
        serviceDate: '2026-09-10',
        deadline: '2026-12-09',
        daysLeft: 9,
      },
    ]);
  });
});
