// Revenue-cycle reports for the billing office (A/R aging by payer and by patient, first-pass acceptance, denials
// by reason and payer, days in A/R, collections by month, claims nearing their timely-filing limit), and the daily
// timely-filing check that feeds the last. Reads: claims by status (gsi1, one Query per status), ledger entries of
// the collections and patient-A/R indexes (one Query each), the flags (one Query). No Scan.
import { auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso } from '#shared/clock.ts';
import { config } from '#shared/config.ts';
import { queryAll, tableName } from '#shared/dynamodb.ts';
import type { HttpResult } from '#shared/http/result.ts';
import { recordOf } from '#shared/table.ts';
import { commit } from '#shared/write.ts';
import type { LedgerEntry } from './account-schemas.ts';
import { ledgerIndexes } from './ledger-keys.ts';
import { CLAIM_STATUSES } from './lifecycle.ts';
import { chargesInPeriod, insuranceBalances, patientBalances, submissionRecords } from './receivables.ts';
import { timelyFilingKeys } from './remittance-keys.ts';
import type { PostedClaim } from './remittance-store.ts';
import {
  arAging,
  collectionsByMonth,
  daysInAr,
  denialsByReasonAndPayer,
  firstPassAcceptanceRate,
} from './reports.ts';
import { DynamoBillingStore } from './store.ts';
import { nearingTimelyFiling, type TimelyFilingFlag, UNSENT_STATUSES } from './timely-filing.ts';

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

async function entriesOf(
  index: { index: 'gsi1' | 'gsi2'; pk: string },
  from: string,
  to: string,
): Promise<LedgerEntry[]> {
  const items = await queryAll({
    IndexName: index.index,
    KeyConditionExpression: `${index.index}pk = :pk AND ${index.index}sk BETWEEN :from AND :to`,
    ExpressionAttributeValues: { ':pk': index.pk, ':from': from, ':to': `${to}~` },
  });
  return items.map((i) => recordOf<LedgerEntry>(i));
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
    const expires = Math.floor(Date.parse(`${flag.deadline}T00:00:00Z`) / 1000) + 30 * 86_400;
    await commit(
      { principal, requestId: `timely-filing:${today}` },
      {
        ops: [
          {
            item: {
              Put: {
                TableName: tableName(),
                Item: {
                  ...timelyFilingKeys.flag(flag.claimId),
                  type: 'TimelyFilingFlag',
                  ...flag,
                  flaggedAt: today,
                  gsi1pk: timelyFilingKeys.queue.pk,
                  gsi1sk: timelyFilingKeys.queue.sk(flag.deadline, flag.claimId),
                  expiresAt: expires,
                },
              },
            },
          },
        ],
        audit: [succeeded('claim.flag-timely-filing', 'Claim', flag.claimId, flag.patientId)],
      },
    );
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
      entriesOf(ledgerIndexes.collections, yearAgo, asOf),
      entriesOf(ledgerIndexes.patientAr, '0000', asOf),
      queryAll({
        IndexName: timelyFilingKeys.queue.index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': timelyFilingKeys.queue.pk },
      }),
    ]);
    const unsent = new Set(
      claims.filter((c) => (UNSENT_STATUSES as readonly string[]).includes(c.status)).map((c) => c.id),
    );
    const open = [...insuranceBalances(claims), ...patientBalances(patientEntries)];
    const records = submissionRecords(claims);
    const receivable = open.reduce((s, b) => s + b.balance, 0);
    const timelyFiling = flags
      .map((f) => recordOf<TimelyFilingFlag & { flaggedAt: string; expiresAt: number }>(f))
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
