// A patient's account on the single table: the AccountStore port and its DynamoDB adapter. The ledger is one
// Query of the patient's partition (plus one GetItem of the profile only when it read nothing, for the 404); a
// payment is one TransactWriteItems (entry + audit + remembered response). Access patterns: docs/data-model.md.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#shared/audit.ts';
import { db, queryAll, tableName } from '#shared/dynamodb.ts';
import { ConflictError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import type { LedgerEntry } from './account-schemas.ts';
import { ledgerKeys } from './ledger-keys.ts';

export interface AccountHolder {
  id: string;
  name: string;
  address: string[];
}

export interface AccountStore {
  /** The patient's entries, oldest first; undefined when the patient does not exist. */
  ledger(patientId: string): Promise<LedgerEntry[] | undefined>;
  /** Name and postal address for the statement; undefined when the patient does not exist. */
  holder(patientId: string): Promise<AccountHolder | undefined>;
  post(ctx: WriteContext, entry: LedgerEntry, audit: AuditEvent[], response?: StoredResponse): Promise<void>;
}

/** The Put of one ledger entry, for any write that posts to a patient's account (payments, remittances). */
export function ledgerEntryPut(entry: LedgerEntry): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: {
          ...ledgerKeys.entry(entry.patientId, entry.postedAt, entry.id),
          type: 'LedgerEntry',
          ...entry,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new ConflictError('This ledger entry was already posted'),
  };
}

async function profile(patientId: string) {
  const out = await db().send(
    new GetCommand({ TableName: tableName(), Key: ledgerKeys.profile(patientId), ConsistentRead: true }),
  );
  return out.Item;
}

export class DynamoAccountStore implements AccountStore {
  async ledger(patientId: string): Promise<LedgerEntry[] | undefined> {
    const { pk, skPrefix } = ledgerKeys.ledger(patientId);
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    });
    // Entries are written only while the patient exists: an empty ledger needs the profile to tell 404 from none.
    if (items.length === 0 && !(await profile(patientId))) return undefined;
    return items.map((i) => recordOf<LedgerEntry>(i));
  }

  async holder(patientId: string): Promise<AccountHolder | undefined> {
    const item = await profile(patientId);
    if (!item) return undefined;
    const name = item.name as { family: string; given?: string[] } | undefined;
    const address = (
      item.contact as { address?: { line?: string[]; city?: string; state?: string; postalCode?: string } }
    )?.address;
    return {
      id: patientId,
      name: [...(name?.given ?? []), name?.family ?? ''].join(' ').trim(),
      address: address
        ? [
            ...(address.line ?? []),
            [address.city, address.state, address.postalCode].filter(Boolean).join(' '),
          ]
        : [],
    };
  }

  async post(ctx: WriteContext, entry: LedgerEntry, audit: AuditEvent[], response?: StoredResponse) {
    await commit(ctx, { ops: [ledgerEntryPut(entry)], audit, ...(response ? { response } : {}) });
  }
}
