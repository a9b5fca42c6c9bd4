// Every change to the table goes through commit(): the domain items, their audit record and (for POSTs with an
// Idempotency-Key) the remembered response, in ONE TransactWriteItems. Budget: 1 request per write.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { type AuditEvent, actorOf, auditItem, markRecorded } from './audit.ts';
import type { Principal } from './auth/principal.ts';
import { db, tableName } from './dynamodb.ts';
import { ConflictError } from './errors.ts';
import {
  findStoredResponse,
  type IdempotencyRequest,
  IdempotentReplay,
  idempotencyPut,
  type StoredResponse,
} from './idempotency.ts';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface WriteOp {
  item: TransactItem;
  /** The domain error for this item's condition failing (duplicate MRN, stale version, …). */
  onConditionFailed?: () => Error;
}

export interface WriteContext {
  principal?: Principal;
  requestId: string;
  idempotency?: IdempotencyRequest;
}

const MAX_ATTEMPTS = 4;

/**
 * Commits `ops` with one audit record per event and, when the request carries an Idempotency-Key, the response
 * that will be replayed for it. Transaction conflicts (another transaction on the same items) are retried; a
 * failed condition becomes the op's domain error, or an IdempotentReplay when the key was seen before.
 */
export async function commit(
  ctx: WriteContext,
  write: { ops: WriteOp[]; audit: AuditEvent[]; response?: StoredResponse },
): Promise<void> {
  const actor = actorOf(ctx.principal, ctx.requestId);
  const items: TransactItem[] = [
    ...write.ops.map((o) => o.item),
    ...write.audit.map((e) => ({
      Put: {
        TableName: tableName(),
        Item: auditItem(e, actor),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    })),
  ];
  const idempotencyIndex = ctx.idempotency && write.response ? items.length : -1;
  if (ctx.idempotency && write.response)
    items.push(idempotencyPut(ctx.idempotency, write.response, write.audit));

  for (let attempt = 1; ; attempt++) {
    try {
      await db().send(new TransactWriteCommand({ TransactItems: items }));
      markRecorded(write.audit);
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (ctx.idempotency && reasons[idempotencyIndex]?.Code === 'ConditionalCheckFailed') {
        const stored = await findStoredResponse(ctx.idempotency);
        if (stored) throw new IdempotentReplay(stored, ctx.idempotency);
      }
      const failed = reasons.findIndex((r) => r.Code === 'ConditionalCheckFailed');
      if (failed >= 0) {
        const domainError = write.ops[failed]?.onConditionFailed?.();
        if (domainError) throw domainError;
        throw new ConflictError('The record changed while this request was being processed; retry it');
      }
      const conflicted = reasons.some((r) => r.Code === 'TransactionConflict');
      if (!conflicted || attempt >= MAX_ATTEMPTS) {
        if (conflicted) throw new ConflictError('The record is being changed by another request; retry it');
        throw error;
      }
      await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
    }
  }
}
