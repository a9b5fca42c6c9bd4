// Idempotency-Key support for POST routes (draft-ietf-httpapi-idempotency-key-header). The record is written in
// the same transaction as the change it protects, so "created" and "remembered" can never disagree.
import { createHash } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from './audit.ts';
import { nowMs } from './clock.ts';
import { config } from './config.ts';
import { db, tableName } from './dynamodb.ts';

export interface IdempotencyRequest {
  key: string;
  /** Who and which operation the key belongs to: keys of different users or routes never collide. */
  scope: string;
  /** Fingerprint of the request (method, path, body) to detect a key reused for another request. */
  fingerprint: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What the first request was audited as; a replay is audited the same way (marked as a replay). */
export type RememberedAudit = Pick<AuditEvent, 'action' | 'resourceType' | 'resourceId' | 'patientId'>;

export interface StoredRequest {
  fingerprint: string;
  response: StoredResponse;
  audit?: RememberedAudit[];
}

export const idempotencyKeys = {
  pk: (req: Pick<IdempotencyRequest, 'key' | 'scope'>) =>
    `IDEMPOTENCY#${createHash('sha256').update(`${req.scope}\n${req.key}`).digest('base64url')}`,
  sk: 'IDEMPOTENCY',
};

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('base64url');
}

/** The transaction item that remembers a response; its condition fails when the key was used already. */
export function idempotencyPut(
  req: IdempotencyRequest,
  response: StoredResponse,
  audit: readonly AuditEvent[] = [],
) {
  const now = Math.floor(nowMs() / 1000);
  return {
    Put: {
      TableName: tableName(),
      Item: {
        pk: idempotencyKeys.pk(req),
        sk: idempotencyKeys.sk,
        type: 'IdempotencyRecord',
        fingerprint: req.fingerprint,
        response,
        audit: audit.map(({ action, resourceType, resourceId, patientId }) => ({
          action,
          resourceType,
          ...(resourceId ? { resourceId } : {}),
          ...(patientId ? { patientId } : {}),
        })),
        expiresAt: now + config().IDEMPOTENCY_TTL_SECONDS,
      },
      // An expired record may linger until TTL deletes it; it must not block a new use of the key.
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': now },
    },
  };
}

export async function findStoredResponse(
  req: Pick<IdempotencyRequest, 'key' | 'scope'>,
): Promise<StoredRequest | undefined> {
  const out = await db().send(
    new GetCommand({
      TableName: tableName(),
      Key: { pk: idempotencyKeys.pk(req), sk: idempotencyKeys.sk },
      ConsistentRead: true,
    }),
  );
  const item = out.Item;
  if (!item || (item.expiresAt as number) < Math.floor(nowMs() / 1000)) return undefined;
  return {
    fingerprint: item.fingerprint as string,
    response: item.response as StoredResponse,
    ...(Array.isArray(item.audit) ? { audit: item.audit as RememberedAudit[] } : {}),
  };
}

/**
 * For a change refused before it reaches its transaction (a stale If-Match): when the request's key already holds
 * a response, that first response is replayed instead (the retry of a change that went through). One GetItem, on
 * the refusal path only.
 */
export async function replayIfSeen(req: IdempotencyRequest | undefined): Promise<void> {
  if (!req) return;
  const stored = await findStoredResponse(req);
  if (stored) throw new IdempotentReplay(stored, req);
}

/** Thrown by a write whose Idempotency-Key was already used; the HTTP stack answers with the stored response. */
export class IdempotentReplay extends Error {
  readonly stored: StoredRequest;
  readonly request: IdempotencyRequest;

  constructor(stored: StoredRequest, request: IdempotencyRequest) {
    super('Idempotent replay');
    this.stored = stored;
    this.request = request;
  }
}
