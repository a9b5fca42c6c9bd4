// Audit records: who did what to which patient's data, when, with what outcome. Written in the same transaction
// as every PHI write, after every PHI read, and by the HTTP stack for every denied, failed or replayed request.
// Never updated or deleted by any route. Holds ids only, never PHI values.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Principal } from './auth/principal.ts';
import { nowIso } from './clock.ts';
import { db, tableName } from './dynamodb.ts';
import { newId } from './ids.ts';
import { count } from './metrics.ts';

export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditEvent {
  /** `<resource>.<verb>`, e.g. `patient.read`, `patient.create`, `patient.search`. */
  action: string;
  resourceType: string;
  resourceId?: string;
  patientId?: string;
  outcome: AuditOutcome;
  /** Set on the record of an idempotent replay: the stored response was returned again, nothing was changed. */
  replayed?: boolean;
  /**
   * The outside organisation the actor acted for: an external provider's, from the referral's grant, so a
   * patient's "who saw my record" can name the specialist's practice and not only an account id.
   */
  organization?: { id: string; name: string };
}

export interface AuditActor {
  sub: string;
  roles: string[];
  requestId: string;
}

export interface AuditRecord extends AuditEvent {
  id: string;
  at: string;
  actor: { sub: string; roles: string[] };
  requestId: string;
}

/** Key builders for audit items. Patterns: by patient and time (table), by day and time (gsi1). */
export const auditKeys = {
  /** Events that touch no one patient (a search that found nobody, reading the audit log) share one partition. */
  partition: (patientId: string | undefined) => (patientId ? `AUDIT#PATIENT#${patientId}` : 'AUDIT#PRACTICE'),
  sortKey: (at: string, id: string) => `${at}#${id}`,
  dayPartition: (day: string) => `AUDIT#DAY#${day}`,
  byDayIndex: 'gsi1' as const,
};

export function actorOf(principal: Principal | undefined, requestId: string): AuditActor {
  return { sub: principal?.sub ?? 'anonymous', roles: principal?.roles ?? [], requestId };
}

export function auditItem(event: AuditEvent, actor: AuditActor): Record<string, unknown> {
  const id = newId();
  const at = nowIso();
  const record: AuditRecord = {
    ...event,
    id,
    at,
    actor: { sub: actor.sub, roles: actor.roles },
    requestId: actor.requestId,
  };
  return {
    pk: auditKeys.partition(event.patientId),
    sk: auditKeys.sortKey(at, id),
    gsi1pk: auditKeys.dayPartition(at.slice(0, 10)),
    gsi1sk: auditKeys.sortKey(at, id),
    type: 'AuditRecord',
    ...record,
  };
}

/**
 * What the audit trail knows about the request in flight: the patients it touches (from the path, a `patientId`
 * in the query or body, or a record the use case loaded) and those that already have a record for it. The HTTP
 * stack reads it to file a denial, failure or replay under the right patient, and to make sure a successful
 * request that touched a patient left a record.
 */
export interface AuditScope {
  patients: Set<string>;
  recorded: Set<string>;
}

const scopes = new AsyncLocalStorage<AuditScope>();

export function newAuditScope(): AuditScope {
  return { patients: new Set(), recorded: new Set() };
}

/** Runs `fn` (a use case) with `scope` as the request's audit scope. */
export function withAuditScope<T>(scope: AuditScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/**
 * Tells the audit trail that this request touches `patientId`'s data. A use case calls it as soon as it learns
 * the patient from a record it loaded (an appointment), before it authorises or checks anything else, so that a
 * denial or failure that follows is filed under that patient. Outside a request it does nothing.
 */
export function touchesPatient(patientId: string | undefined): void {
  if (patientId) scopes.getStore()?.patients.add(patientId);
}

/** Marks the events' patients as recorded for this request (called once their records are stored). */
export function markRecorded(events: readonly AuditEvent[]): void {
  const scope = scopes.getStore();
  if (!scope) return;
  for (const e of events) {
    if (!e.patientId) continue;
    scope.patients.add(e.patientId);
    scope.recorded.add(e.patientId);
  }
}

/**
 * Writes audit records for reads and denials: one PutItem, or for a page of several patients one
 * TransactWriteItems of Puts (≤ 100, a page's limit). Transactions need only `dynamodb:PutItem` in IAM, so read
 * routes can append audit records without any permission that could delete one (BatchWriteItem could).
 */
export async function recordAudit(events: AuditEvent[], actor: AuditActor): Promise<void> {
  if (events.length === 0) return;
  try {
    await appendAudit(events, actor);
  } catch (error) {
    // The request fails closed (500); the metric raises the audit-write-failures alarm.
    count('AuditWriteFailures');
    throw error;
  }
}

async function appendAudit(events: AuditEvent[], actor: AuditActor): Promise<void> {
  const items = events.map((e) => auditItem(e, actor));
  if (items.length === 1) {
    await db().send(
      new PutCommand({
        TableName: tableName(),
        Item: items[0],
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    markRecorded(events);
    return;
  }
  for (let i = 0; i < items.length; i += 100) {
    await db().send(
      new TransactWriteCommand({
        TransactItems: items.slice(i, i + 100).map((Item) => ({
          Put: { TableName: tableName(), Item, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      }),
    );
  }
  markRecorded(events);
}

/** A successful event: `action` on one `resourceType` record, filed under its patient when there is one. */
export function succeeded(
  action: string,
  resourceType: string,
  resourceId?: string,
  patientId?: string,
): AuditEvent {
  return {
    action,
    resourceType,
    ...(resourceId ? { resourceId } : {}),
    ...(patientId ? { patientId } : {}),
    outcome: 'success',
  };
}

/**
 * Records that a read succeeded: one event per record disclosed, or, when nothing was disclosed (an empty search
 * or page), one event saying the action ran. What every read use case does once it has its answer.
 */
export async function auditRead(
  ctx: { principal?: Principal; requestId: string },
  events: AuditEvent[],
  whenEmpty?: AuditEvent,
): Promise<void> {
  const recorded = events.length > 0 ? events : whenEmpty ? [whenEmpty] : [];
  await recordAudit(recorded, actorOf(ctx.principal, ctx.requestId));
}
