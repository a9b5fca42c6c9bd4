// What the payer sends back, on the single table: the RemittanceStore port and its DynamoDB adapter. Budget: claims
// are read by control number in BatchGetItems of 100 (lookup items, then the claims), every claim posted is ONE
// TransactWriteItems (its posted-guard, the claim's next version, its ledger entries, its denial entry, a secondary
// claim, its audit record), and the remittance record is one more write. No Scan. Access patterns:
// docs/data-model.md.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '#shared/audit.ts';
import { db, getItem, getItems, itemAt, tableName } from '#shared/dynamodb.ts';
import { ConflictError } from '#shared/errors.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { recordOf } from '#shared/table.ts';
import { commit, type WriteContext, type WriteOp } from '#shared/write.ts';
import type { LedgerEntry } from './account-schemas.ts';
import { ledgerEntryPut } from './account-store.ts';
import { batchKeys, claimKeys } from './keys.ts';
import type { ClaimBatch, Stamp, StoredClaim } from './model.ts';
import type { RemittanceResult } from './remittance-effects.ts';
import { denialKeys, remittanceKeys } from './remittance-keys.ts';
import { claimItem, claimUpdate } from './store.ts';

/** A claim with what the payer's answers added to it. */
export interface PostedClaim extends StoredClaim {
  /** The latest remittance posted to the claim. */
  remittance?: RemittanceResult;
  /** The latest 277CA or 999 answer. */
  acknowledgement?: { accepted: boolean; status: string; at: string; reasons: string[] };
  /** Set while the claim has an entry in the denial work queue. */
  deniedAt?: string;
}

export type DenialAction = 'corrected' | 'appealed' | 'written-off';

export interface DenialRecord extends Stamp {
  claimId: string;
  patientId: string;
  controlNumber: string;
  payerId: string;
  outcome: 'denied' | 'partially-paid';
  reasons: { code: string; meaning: string; amount: number }[];
  remarks: string[];
  amount: number;
  serviceDate: string;
  deniedAt: string;
  traceNumber: string;
  /** What the billing office did about it. */
  action?: { kind: DenialAction; at: string; by: string; note?: string };
  /** Set when a later remittance paid the claim. */
  resolvedAt?: string;
}

export interface RemittanceRecord extends Stamp {
  payer: string;
  traceNumber: string;
  payerName?: string;
  totalPaid: number;
  paymentDate?: string;
  postedAt: string;
  claims: { controlNumber: string; claimId: string; outcome: string; paid: number }[];
  providerAdjustments: { reason: string; reference?: string; amount: number }[];
  /** Where it came from: the API, or a file dropped in the inbound folder or bucket. */
  source: string;
}

export interface ClaimPostingWrite {
  before: PostedClaim;
  after: PostedClaim;
  guard: { payer: string; traceNumber: string };
  ledger: LedgerEntry[];
  denial?: DenialRecord;
  /** A secondary claim made from this primary's remittance (coordination of benefits). */
  secondary?: StoredClaim;
  audit: AuditEvent[];
}

export interface RemittanceStore {
  remittance(payer: string, traceNumber: string): Promise<RemittanceRecord | undefined>;
  claimsByControlNumber(controlNumbers: string[]): Promise<Map<string, PostedClaim>>;
  /** One transaction; 'already-posted' when this remittance's claim was posted before (a resumed file). */
  postClaim(ctx: WriteContext, write: ClaimPostingWrite): Promise<'posted' | 'already-posted'>;
  /** The remittance record, with the answer to remember for the request's Idempotency-Key when given. */
  saveRemittance(ctx: WriteContext, record: RemittanceRecord, response?: StoredResponse): Promise<void>;
  changeClaim(ctx: WriteContext, before: PostedClaim, after: PostedClaim, audit: AuditEvent[]): Promise<void>;
  batchByGroupControlNumber(groupControlNumber: number): Promise<ClaimBatch | undefined>;
  claims(ids: string[]): Promise<PostedClaim[]>;
  denial(claimId: string): Promise<DenialRecord | undefined>;
  putDenial(ctx: WriteContext, before: DenialRecord, after: DenialRecord, audit: AuditEvent[]): Promise<void>;
  denialQueue(
    limit: number,
    after?: Record<string, unknown>,
  ): Promise<{ items: DenialRecord[]; after?: Record<string, unknown> }>;
}

class AlreadyPosted extends Error {}

const denialItem = (d: DenialRecord) => ({
  ...d,
  ...denialKeys.item(d.claimId),
  type: 'Denial',
  gsi1pk: denialKeys.queue.pk,
  gsi1sk: denialKeys.queue.sk(d.deniedAt, d.claimId),
});

function versionedPut(item: Record<string, unknown>, before: { version: number } | undefined): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: item,
        ...(before
          ? {
              ConditionExpression: 'attribute_exists(pk) AND version = :expected',
              ExpressionAttributeValues: { ':expected': before.version },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    },
    onConditionFailed: () => new ConflictError('The record changed while this was being posted; retry'),
  };
}

export class DynamoRemittanceStore implements RemittanceStore {
  async remittance(payer: string, traceNumber: string) {
    const item = await getItem(remittanceKeys.item(payer, traceNumber));
    return item ? recordOf<RemittanceRecord>(item) : undefined;
  }

  async claimsByControlNumber(controlNumbers: string[]): Promise<Map<string, PostedClaim>> {
    const unique = [...new Set(controlNumbers)];
    const lookups = new Map<string, string>();
    for (let i = 0; i < unique.length; i += 100) {
      const keys = unique.slice(i, i + 100).map((n) => claimKeys.byControlNumber(n));
      const found = await getItems(keys);
      for (const n of unique.slice(i, i + 100)) {
        const lookup = itemAt(found, claimKeys.byControlNumber(n));
        if (lookup) lookups.set(n, lookup.claimId as string);
      }
    }
    const claims = await this.claims([...lookups.values()]);
    const byId = new Map(claims.map((c) => [c.id, c]));
    const result = new Map<string, PostedClaim>();
    for (const [n, id] of lookups) {
      const claim = byId.get(id);
      if (claim) result.set(n, claim);
    }
    return result;
  }

  async claims(ids: string[]): Promise<PostedClaim[]> {
    const claims: PostedClaim[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const keys = ids.slice(i, i + 100).map((id) => claimKeys.item(id));
      const found = await getItems(keys);
      for (const key of keys) {
        const item = itemAt(found, key);
        if (item) claims.push(recordOf<PostedClaim>(item));
      }
    }
    return claims;
  }

  async postClaim(ctx: WriteContext, write: ClaimPostingWrite): Promise<'posted' | 'already-posted'> {
    const ops: WriteOp[] = [
      {
        item: {
          Put: {
            TableName: tableName(),
            Item: {
              ...remittanceKeys.claimPosted(
                write.guard.payer,
                write.guard.traceNumber,
                write.before.controlNumber,
              ),
              type: 'RemittanceClaimPosted',
              claimId: write.before.id,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        onConditionFailed: () => new AlreadyPosted(),
      },
      claimUpdate(write.before, write.after),
      ...write.ledger.map(ledgerEntryPut),
    ];
    if (write.denial) {
      ops.push({
        item: { Put: { TableName: tableName(), Item: denialItem(write.denial) } },
      });
    }
    if (write.secondary) {
      ops.push(versionedPut(claimItem(write.secondary), undefined), {
        item: {
          Put: {
            TableName: tableName(),
            Item: {
              ...claimKeys.byControlNumber(write.secondary.controlNumber),
              type: 'ClaimControlNumber',
              claimId: write.secondary.id,
              patientId: write.secondary.patientId,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      });
    }
    try {
      await commit(ctx, { ops, audit: write.audit });
      return 'posted';
    } catch (error) {
      if (error instanceof AlreadyPosted) return 'already-posted';
      throw error;
    }
  }

  async saveRemittance(ctx: WriteContext, record: RemittanceRecord, response?: StoredResponse) {
    await commit(ctx, {
      ops: [
        {
          item: {
            Put: {
              TableName: tableName(),
              Item: {
                ...record,
                ...remittanceKeys.item(record.payer, record.traceNumber),
                type: 'Remittance',
                gsi1pk: remittanceKeys.byDate.pk,
                gsi1sk: remittanceKeys.byDate.sk(record.postedAt, record.traceNumber),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          onConditionFailed: () => new ConflictError('This remittance was already posted'),
        },
      ],
      audit: [],
      ...(response ? { response } : {}),
    });
  }

  async changeClaim(ctx: WriteContext, before: PostedClaim, after: PostedClaim, audit: AuditEvent[]) {
    await commit(ctx, { ops: [claimUpdate(before, after)], audit });
  }

  async batchByGroupControlNumber(groupControlNumber: number): Promise<ClaimBatch | undefined> {
    let after: Record<string, unknown> | undefined;
    do {
      const out = await db().send(
        new QueryCommand({
          TableName: tableName(),
          IndexName: batchKeys.list.index,
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'groupControlNumber = :n',
          ExpressionAttributeValues: { ':pk': batchKeys.list.pk, ':n': groupControlNumber },
          ScanIndexForward: false,
          ...(after ? { ExclusiveStartKey: after } : {}),
        }),
      );
      const found = out.Items?.[0];
      if (found) return recordOf<ClaimBatch>(found);
      after = out.LastEvaluatedKey;
    } while (after);
    return undefined;
  }

  async denial(claimId: string) {
    const item = await getItem(denialKeys.item(claimId));
    return item ? recordOf<DenialRecord>(item) : undefined;
  }

  async putDenial(ctx: WriteContext, before: DenialRecord, after: DenialRecord, audit: AuditEvent[]) {
    await commit(ctx, { ops: [versionedPut(denialItem(after), before)], audit });
  }

  async denialQueue(limit: number, after?: Record<string, unknown>) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: denialKeys.queue.index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': denialKeys.queue.pk },
        Limit: limit,
        ...(after ? { ExclusiveStartKey: after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => recordOf<DenialRecord>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }
}
