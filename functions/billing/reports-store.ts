// The reads the revenue-cycle reports need and the daily timely-filing check's write, on the single table: the
// ledger's report indexes, the flags' queue. The reports service holds the rules; the requests are built here.
import type { AuditEvent } from '#shared/audit.ts';
import { queryAll, tableName } from '#shared/dynamodb.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext } from '#shared/write.ts';
import type { LedgerEntry } from './account-schemas.ts';
import { ledgerIndexes } from './ledger-keys.ts';
import { timelyFilingKeys } from './remittance-keys.ts';
import type { TimelyFilingFlag } from './timely-filing.ts';

export type StoredFlag = TimelyFilingFlag & { flaggedAt: string; expiresAt: number };

/** Ledger entries of one report index (collections, patient A/R) from one date to another, inclusive. */
export async function ledgerEntriesBetween(
  which: keyof typeof ledgerIndexes,
  from: string,
  to: string,
): Promise<LedgerEntry[]> {
  const index = ledgerIndexes[which];
  const items = await queryAll({
    IndexName: index.index,
    KeyConditionExpression: `${index.index}pk = :pk AND ${index.index}sk BETWEEN :from AND :to`,
    ExpressionAttributeValues: { ':pk': index.pk, ':from': from, ':to': `${to}~` },
  });
  return items.map((i) => recordOf<LedgerEntry>(i));
}

/** Every flag the daily check raised (one Query of the flags' queue; TTL removes them lazily). */
export async function timelyFilingFlags(): Promise<StoredFlag[]> {
  const items = await queryAll({
    IndexName: timelyFilingKeys.queue.index,
    KeyConditionExpression: 'gsi1pk = :pk',
    ExpressionAttributeValues: { ':pk': timelyFilingKeys.queue.pk },
  });
  return items.map((i) => recordOf<StoredFlag>(i));
}

/** Raises one flag with its audit event, in one transaction; it expires 30 days after the deadline. */
export async function raiseTimelyFilingFlag(
  ctx: WriteContext,
  flag: TimelyFilingFlag,
  today: string,
  audit: AuditEvent[],
): Promise<void> {
  const expiresAt = Math.floor(Date.parse(`${flag.deadline}T00:00:00Z`) / 1000) + 30 * 86_400;
  await commit(ctx, {
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
              expiresAt,
            },
          },
        },
      },
    ],
    audit,
  });
}
