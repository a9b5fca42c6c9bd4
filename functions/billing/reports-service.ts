// Revenue-cycle reports for the billing office (A/R aging by payer and by patient, first-pass acceptance, denials
// by reason and payer, days in A/R, collections by month, claims nearing their timely-filing limit), and the daily
// timely-filing check that feeds the last. Reads: claims by status (gsi1, one Query per status), ledger entries of
// the collections and patient-A/R indexes (one Query each), the flags (one Query). No Scan.
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { CLAIM_STATUSES } from './lifecycle.ts';
import { chargesInPeriod, insuranceBalances, patientBalances, submissionRecords } from './receivables.ts';
import type { PostedClaim } from './remittance-store.ts';
import {
  arAging,
  collectionsByMonth,
  daysInAr,
  denialsByReasonAndPayer,
  firstPassAcceptanceRate,
} from './reports.ts';
import { ledgerEntriesBetween, raiseTimelyFilingFlag, timelyFilingFlags } from './reports-store.ts';
import { DynamoBillingStore } from './store.ts';
import { nearingTimelyFiling, UNSENT_STATUSES } from './timely-filing.ts';

const billing = new DynamoBillingStore();

async function claimsIn(statuses: readonly string[]): Promise<PostedClaim[]> {
  const claims: PostedClaim[] = [];
  for (const status of statuses) {
    let after: Record<string, unknown> | undefined;
    do {
      const page = await billing.listClaims({
        status: status as PostedClaim['status'],
        limit: 100,
        ...(after ? { after } : {}),
      });
      claims.push(...(page.items as PostedClaim[]));
      after = page.after;
    } while (after);
  }
  return claims;
}

/** The daily check: flags every unsent claim near its limit (one Put each, audited); returns how many. */
export async function flagTimelyFiling(today = nowIso().slice(0, 10)): Promise<number> {
  const [claims, payers] = await Promise.all([claimsIn(UNSENT_STATUSES), billing.listPayers()]);
  const flags = nearingTimelyFiling(
    claims,
    new Map(payers.map((p) => [p.id, p.timelyFilingDays])),
    today,
    config().TIMELY_FILING_WARNING_DAYS,
  );
  const principal = {
    sub: 'timely-filing-check',
    username: 'timely-filing-check',
    roles: ['billing' as const],
  };
  for (const flag of flags) {
    await raiseTimelyFilingFlag({ principal, requestId: `timely-filing:${today}` }, flag, today, [
      succeeded('claim.flag-timely-filing', 'Claim', flag.claimId, flag.patientId),
    ]);
  }
  return flags.length;
}

export class ReportsService {
  async reports(
    ctx: { principal: Principal; requestId: string },
    asOf = nowIso().slice(0, 10),
  ): Promise<HttpResult> {
    const yearAgo = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4, 7)}`;
    const [claims, collections, patientEntries, flags] = await Promise.all([
      claimsIn(CLAIM_STATUSES.filter((s) => s !== 'draft')),
      ledgerEntriesBetween('collections', yearAgo, asOf),
      ledgerEntriesBetween('patientAr', '0000', asOf),
      timelyFilingFlags(),
    ]);
    const unsent = new Set(
      claims.filter((c) => (UNSENT_STATUSES as readonly string[]).includes(c.status)).map((c) => c.id),
    );
    const open = [...insuranceBalances(claims), ...patientBalances(patientEntries)];
    const records = submissionRecords(claims);
    const receivable = open.reduce((s, b) => s + b.balance, 0);
    const timelyFiling = flags
      // TTL deletes lazily: an expired flag, or one whose claim has since been sent, is not shown.
      .filter((f) => unsent.has(f.claimId) && f.expiresAt > Date.now() / 1000)
      .map(({ claimId, patientId, payerId, serviceDate, deadline, daysLeft }) => ({
        claimId,
        patientId,
        payerId,
        serviceDate,
        deadline,
        daysLeft,
      }));
    const patients = new Set([...open.map((b) => b.patientId), ...timelyFiling.map((f) => f.patientId)]);
    await auditRead(
      ctx,
      [...patients].map((p) => succeeded('report.read', 'Account', undefined, p)),
      succeeded('report.read', 'Account'),
    );
    return {
      status: 200,
      body: {
        asOf,
        arAgingByPayer: arAging(insuranceBalances(claims), asOf, 'payer'),
        arAgingByPatient: arAging(
          open.filter((b) => b.payer === 'patient'),
          asOf,
          'patientId',
        ),
        firstPassAcceptanceRate: firstPassAcceptanceRate(records) ?? null,
        denials: denialsByReasonAndPayer(records),
        daysInAr: daysInAr(receivable, chargesInPeriod(claims, asOf)) ?? null,
        collectionsByMonth: collectionsByMonth(
          collections.map((e) => ({
            postedAt: e.postedAt,
            amount: e.kind === 'refund' ? -e.amount : e.amount,
            source: e.kind === 'insurance-payment' ? ('insurance' as const) : ('patient' as const),
          })),
        ),
        timelyFiling,
      },
    };
  }
}
