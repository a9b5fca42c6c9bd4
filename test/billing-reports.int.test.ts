// The revenue-cycle reports and the daily timely-filing check, through the handlers against DynamoDB Local: a claim
// left unsent is flagged once its payer's limit is near (and not before), the billing office's report lists it, and
// it stays out of A/R until it is sent.
import { beforeAll, describe, expect, it } from 'vitest';
import { flagTimelyFiling } from '#functions/billing/reports-service.ts';
import {
  cover,
  newPatient,
  ok,
  type Practice,
  readyClaim,
  setUpBillingPractice,
} from './support/billing-practice.ts';
import { useLocalTable } from './support/local-env.ts';

let practice: Practice;
let patientId: string;
let claim: { id: string; lines: { serviceDate: string }[] };

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  useLocalTable();
  practice = await setUpBillingPractice();
  patientId = await newPatient('Unsent');
  await cover(patientId, practice.payerId);
  claim = await readyClaim(practice, patientId, [{ code: '99213', charge: 9500 }]);
}, 120_000);

describe('timely filing', () => {
  it('flags nothing while the limit is far away', async () => {
    const serviceDate = claim.lines[0]?.serviceDate as string;
    await flagTimelyFiling(addDays(serviceDate, 300)); // 65 days left of 365, warning at 30
    const report = await ok('getBillingReports', {});
    expect(report.timelyFiling.map((f: { claimId: string }) => f.claimId)).not.toContain(claim.id);
  });

  it('flags an unsent claim within the warning window, and the report shows it with its deadline', async () => {
    const serviceDate = claim.lines[0]?.serviceDate as string;
    expect(await flagTimelyFiling(addDays(serviceDate, 350))).toBeGreaterThanOrEqual(1);
    const report = await ok('getBillingReports', {});
    const flag = report.timelyFiling.find((f: { claimId: string }) => f.claimId === claim.id);
    expect(flag).toMatchObject({
      patientId,
      payerId: practice.payerId,
      serviceDate,
      deadline: addDays(serviceDate, 365),
    });
    // Not yet sent, so no payer owes it: it is not in A/R.
    const payerRows = report.arAgingByPayer.filter((r: { key: string }) => r.key === practice.payerId);
    expect(payerRows.reduce((s: number, r: { total: number }) => s + r.total, 0)).toBe(0);
  });
});
