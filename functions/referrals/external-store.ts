// Persistence of what reaches outside or comes in: the ExternalStore port (grants, received documents, inbound
// referrals) and its DynamoDB adapter. Reads are one GetItem, one BatchGetItem or one Query page; writes go into
// the caller's one TransactWriteItems as WriteOps. Access patterns: docs/data-model.md.
import { gunzipSync, gzipSync } from 'node:zlib';
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, getItem, getItems, itemAt, type Key, queryAll, tableName } from '#shared/dynamodb.ts';
import { ConflictError, PreconditionFailedError } from '#shared/errors.ts';
import { recordOf } from '#shared/table.ts';
import type { WriteOp } from '#shared/write.ts';
import { grantKeys, inboundKeys, receivedDocumentKeys } from './external-keys.ts';
import type { ReceivedDocument, ReferralGrant } from './external-schemas.ts';
import type { InboundReferral } from './inbound-schemas.ts';
import { referralKeys } from './keys.ts';
import type { Referral } from './schemas.ts';

export interface Page<T> {
  items: T[];
  after?: Record<string, unknown>;
}

export interface ExternalStore {
  /** The grant and any other items of the same request, in one BatchGetItem (the grant decides what they show). */
  grantWith(
    practitionerId: string,
    referralId: string,
    others: Key[],
  ): Promise<{ grant?: ReferralGrant; items: Map<string, Record<string, unknown>> }>;
  /** Every grant of one practitioner: one Query (a specialist holds hundreds, not millions). */
  grantsOf(practitionerId: string): Promise<ReferralGrant[]>;
  /** Referrals by id, in one BatchGetItem per 100. */
  referrals(ids: string[]): Promise<Referral[]>;
  receivedDocument(patientId: string, id: string): Promise<ReceivedDocument | undefined>;
  receivedDocuments(
    patientId: string,
    page: { limit: number; after?: Record<string, unknown> },
  ): Promise<Page<ReceivedDocument>>;
  inboundReferral(id: string): Promise<InboundReferral | undefined>;
  inboundPacket(id: string): Promise<string | undefined>;
  inboundWorklist(
    shelf: 'OPEN' | 'DONE',
    page: { limit: number; after?: Record<string, unknown> },
  ): Promise<Page<InboundReferral>>;
  /** Whether a sender's Task was already taken in (its guard item). */
  hasInboundTask(taskId: string): Promise<boolean>;
  /** Notes when the sender's Task was updated with our answer (no new version: nothing a person changed). */
  markAnswered(id: string, at: string): Promise<void>;
}

// ── Item shapes and the writes that put them ─────────────────────────────────────────────────────────────────
export function grantPut(grant: ReferralGrant): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: { ...grantKeys.item(grant.practitionerId, grant.referralId), type: 'ReferralGrant', ...grant },
      },
    },
  };
}

export function grantDelete(practitionerId: string, referralId: string): WriteOp {
  return { item: { Delete: { TableName: tableName(), Key: grantKeys.item(practitionerId, referralId) } } };
}

export function receivedDocumentPut(doc: ReceivedDocument): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: { ...receivedDocumentKeys.item(doc.patientId, doc.id), type: 'ReceivedDocument', ...doc },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    onConditionFailed: () => new ConflictError('This document was already received'),
  };
}

function inboundItem(r: InboundReferral): Record<string, unknown> {
  const shelf = r.status === 'received' ? 'OPEN' : 'DONE';
  return {
    ...inboundKeys.item(r.id),
    type: 'InboundReferral',
    gsi1pk: inboundKeys.worklist.pk(shelf),
    gsi1sk: inboundKeys.worklist.sk(r.receivedAt, r.id),
    ...r,
  };
}

/** A new inbound referral, its packet (gzip) and, for one polled from the FHIR store, its Task's guard. */
export function inboundCreateWrites(r: InboundReferral, packet: string): WriteOp[] {
  const ops: WriteOp[] = [
    {
      item: {
        Put: {
          TableName: tableName(),
          Item: inboundItem(r),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new ConflictError('This inbound referral already exists'),
    },
    {
      item: {
        Put: {
          TableName: tableName(),
          Item: {
            ...inboundKeys.packet(r.id),
            type: 'InboundReferralPacket',
            data: new Uint8Array(gzipSync(packet)),
          },
        },
      },
    },
  ];
  if (r.source.taskId)
    ops.push({
      item: {
        Put: {
          TableName: tableName(),
          Item: {
            ...inboundKeys.taskGuard(r.source.taskId),
            type: 'InboundTaskGuard',
            inboundReferralId: r.id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      onConditionFailed: () => new ConflictError('This Task was already taken in'),
    });
  return ops;
}

/** The inbound referral as changed, only if it is still at the version read. */
export function inboundReplace(before: InboundReferral, after: InboundReferral): WriteOp {
  return {
    item: {
      Put: {
        TableName: tableName(),
        Item: inboundItem(after),
        ConditionExpression: 'attribute_exists(pk) AND version = :expected',
        ExpressionAttributeValues: { ':expected': before.version },
      },
    },
    onConditionFailed: () =>
      new PreconditionFailedError('The inbound referral changed since you read it; read it again'),
  };
}

// ── The adapter ──────────────────────────────────────────────────────────────────────────────────────────────
const grantOf = (item: Record<string, unknown> | undefined): ReferralGrant | undefined =>
  item ? recordOf<ReferralGrant>(item) : undefined;

export class DynamoExternalStore implements ExternalStore {
  async grantWith(practitionerId: string, referralId: string, others: Key[]) {
    const key = grantKeys.item(practitionerId, referralId);
    const items = await getItems([key, ...others]);
    const grant = grantOf(itemAt(items, key));
    return { ...(grant ? { grant } : {}), items };
  }

  async grantsOf(practitionerId: string): Promise<ReferralGrant[]> {
    const items = await queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': grantKeys.partition(practitionerId) },
      ConsistentRead: true,
    });
    return items.map((i) => recordOf<ReferralGrant>(i));
  }

  async referrals(ids: string[]): Promise<Referral[]> {
    const found: Referral[] = [];
    for (let i = 0; i < ids.length; i += 100) {
      const items = await getItems(ids.slice(i, i + 100).map((id) => referralKeys.item(id)));
      for (const item of items.values()) found.push(recordOf<Referral>(item));
    }
    return found;
  }

  async receivedDocument(patientId: string, id: string): Promise<ReceivedDocument | undefined> {
    const item = await getItem(receivedDocumentKeys.item(patientId, id));
    return item ? recordOf<ReceivedDocument>(item) : undefined;
  }

  async receivedDocuments(patientId: string, page: { limit: number; after?: Record<string, unknown> }) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': receivedDocumentKeys.partition(patientId),
          ':prefix': receivedDocumentKeys.prefix,
        },
        ScanIndexForward: false,
        Limit: page.limit,
        ConsistentRead: true,
        ...(page.after ? { ExclusiveStartKey: page.after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => recordOf<ReceivedDocument>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }

  async inboundReferral(id: string): Promise<InboundReferral | undefined> {
    const item = await getItem(inboundKeys.item(id));
    return item ? recordOf<InboundReferral>(item) : undefined;
  }

  async inboundPacket(id: string): Promise<string | undefined> {
    const item = await getItem(inboundKeys.packet(id));
    return item ? gunzipSync(item.data as Uint8Array).toString('utf8') : undefined;
  }

  async inboundWorklist(shelf: 'OPEN' | 'DONE', page: { limit: number; after?: Record<string, unknown> }) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: inboundKeys.worklist.index,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': inboundKeys.worklist.pk(shelf) },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.after ? { ExclusiveStartKey: page.after } : {}),
      }),
    );
    return {
      items: (out.Items ?? []).map((i) => recordOf<InboundReferral>(i)),
      ...(out.LastEvaluatedKey ? { after: out.LastEvaluatedKey } : {}),
    };
  }

  async markAnswered(id: string, at: string): Promise<void> {
    await db().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: inboundKeys.item(id),
        UpdateExpression: 'SET answeredAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  }

  async hasInboundTask(taskId: string): Promise<boolean> {
    return (await getItem(inboundKeys.taskGuard(taskId))) !== undefined;
  }
}
