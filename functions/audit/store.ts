// Audit log reads. Writes live in #shared/audit.ts because every context writes audit records.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditKeys } from '#shared/audit.ts';
import { db, tableName } from '#shared/dynamodb.ts';
import { recordOf } from '#shared/table.ts';

export interface AuditRange {
  /** Inclusive, ISO timestamps. */
  from: string;
  to: string;
  limit: number;
  after?: Record<string, unknown>;
}

const strip = (item: Record<string, unknown>) => recordOf<Record<string, unknown>>(item);

export class AuditStore {
  /** One Query: the patient's audit partition, newest first. */
  async forPatient(patientId: string, range: AuditRange) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': auditKeys.partition(patientId),
          ':from': range.from,
          ':to': `${range.to}~`,
        },
        ScanIndexForward: false,
        Limit: range.limit,
        ...(range.after ? { ExclusiveStartKey: range.after } : {}),
      }),
    );
    return { items: (out.Items ?? []).map(strip), after: out.LastEvaluatedKey };
  }

  /** One Query: one day's audit partition (gsi1), newest first. */
  async forDay(day: string, range: AuditRange) {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        IndexName: auditKeys.byDayIndex,
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': auditKeys.dayPartition(day),
          ':from': range.from,
          ':to': `${range.to}~`,
        },
        ScanIndexForward: false,
        Limit: range.limit,
        ...(range.after ? { ExclusiveStartKey: range.after } : {}),
      }),
    );
    return { items: (out.Items ?? []).map(strip), after: out.LastEvaluatedKey };
  }
}
