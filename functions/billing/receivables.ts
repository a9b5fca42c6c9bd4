// What is still owed, claim by claim and patient by patient, for the A/R reports: insurance balances from the claims
// and their latest remittance, patient balances from the patients' ledger entries (payments applied to the oldest
// charge first). Pure: the reports use case loads claims and entries.
import type { LedgerEntry } from './account-schemas.ts';
import { isCharge } from './account-store.ts';
import { COST_SHARING } from './carc.ts';
import type { ClaimStatus } from './lifecycle.ts';
import { sum } from './money.ts';
import type { PostedClaim } from './remittance-store.ts';
import type { OpenBalance, SubmissionRecord } from './reports.ts';

/** Statuses in which a payer still owes something on a claim. */
const INSURANCE_AR: ReadonlySet<ClaimStatus> = new Set([
  'submitted',
  'accepted',
  'partially-paid',
  'denied',
  'appealed',
]);

const serviceDateOf = (c: PostedClaim) =>
  c.lines.map((l) => l.serviceDate).sort()[0] ?? c.createdAt.slice(0, 10);

/** What each claim's payer still owes: the charge less what it paid, moved to the patient, or wrote off. */
export function insuranceBalances(claims: readonly PostedClaim[]): OpenBalance[] {
  return claims
    .filter((c) => INSURANCE_AR.has(c.status))
    .map((c) => {
      // A secondary claim is owed only what its earlier payers left.
      const prior = sum(
        (c.priorPayers ?? []).map(
          (p) => p.paid + sum(p.adjustments.filter((a) => a.group !== 'PR').map((a) => a.amount)),
        ),
      );
      const r = c.remittance;
      const settled = r ? r.paid + r.patientResponsibility + r.writtenOff : 0;
      return {
        payer: c.payerId,
        patientId: c.patientId,
        serviceDate: serviceDateOf(c),
        balance: c.total - prior - settled,
      };
    })
    .filter((b) => b.balance !== 0);
}

/** What each patient owes, by the date of service of what they owe for: payments settle the oldest first. */
export function patientBalances(entries: readonly LedgerEntry[]): OpenBalance[] {
  const byPatient = new Map<string, LedgerEntry[]>();
  for (const e of entries) byPatient.set(e.patientId, [...(byPatient.get(e.patientId) ?? []), e]);
  const open: OpenBalance[] = [];
  for (const [patientId, list] of byPatient) {
    const owed: { serviceDate: string; balance: number }[] = [];
    let credit = 0;
    const apply = () => {
      for (const item of owed) {
        if (credit <= 0) break;
        const used = Math.min(item.balance, credit);
        item.balance -= used;
        credit -= used;
      }
    };
    for (const e of [...list].sort((a, b) => a.postedAt.localeCompare(b.postedAt))) {
      if (e.kind === 'patient-responsibility' && e.amount > 0) {
        owed.push({ serviceDate: e.serviceDate ?? e.postedAt.slice(0, 10), balance: e.amount });
      } else if (e.kind === 'patient-responsibility' || e.kind === 'patient-payment') {
        credit += Math.abs(e.amount);
      } else if (e.kind === 'refund') {
        credit -= e.amount;
      }
      apply();
    }
    for (const item of owed) if (item.balance > 0) open.push({ payer: 'patient', patientId, ...item });
    // An unrefunded credit is a negative balance, aged from today's point of view as new.
    if (credit < 0)
      open.push({
        payer: 'patient',
        patientId,
        serviceDate: list[list.length - 1]?.postedAt.slice(0, 10) ?? '',
        balance: -credit,
      });
  }
  return open;
}

/** Each submitted claim's first pass (no 999/277CA rejection before acceptance) and its denial reasons. */
export function submissionRecords(claims: readonly PostedClaim[]): SubmissionRecord[] {
  return claims
    .filter((c) => c.submittedAt || c.history.some((h) => h.event === 'submit'))
    .map((c) => {
      const r = c.remittance;
      const denied = r && (r.outcome === 'denied' || r.outcome === 'partially-paid');
      return {
        claimId: c.id,
        payer: c.payerId,
        acceptedFirstTime: !c.history.some((h) => h.event === 'reject'),
        denialReasons: denied
          ? [
              ...new Set(
                r.adjustments
                  .filter(
                    (a) =>
                      a.group !== 'PR' &&
                      !(a.group === 'CO' && a.reason === '45') &&
                      !COST_SHARING.has(a.reason),
                  )
                  .map((a) => `${a.group}-${a.reason}`),
              ),
            ]
          : [],
      };
    });
}

/** Charges (primary claims) with a date of service in the `days` before `asOf`: the denominator of days in A/R. */
export function chargesInPeriod(claims: readonly PostedClaim[], asOf: string, days = 90): number {
  const from = new Date(`${asOf}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - days);
  const start = from.toISOString().slice(0, 10);
  return sum(
    claims
      .filter((c) => isCharge(c) && serviceDateOf(c) > start && serviceDateOf(c) <= asOf)
      .map((c) => c.total),
  );
}
