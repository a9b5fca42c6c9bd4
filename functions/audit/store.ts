// Audit log reads: the AuditStore port and its DynamoDB adapter. Writes live in #shared/audit.ts because every
// context writes audit records; their keys (auditKeys) live there too. Each read is one Query page.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { auditKeys } from '#shared/audit.ts';
import { db, type Item, tableName } from '#shared/dynamodb.ts';
import { recordOf } from '#shared/table.ts';

export interface AuditRange {
  /** Inclusive, ISO timestamps. */
  from: string;
  to: string;
  limit: number;
  after?: Record<string, unknown>;
}

export interface AuditPage {
  items: Item[];
  /** DynamoDB position to continue from. */
  after?: Record<string, unknown> | undefined;
}

export interface AuditStore {
  /** The patient's audit records in the range, newest first. */
  forPatient(patientId: string, range: AuditRange): Promise<AuditPage>;
  /** One day's audit records (every patient and none) in the range, newest first. */
  forDay(day: string, range: AuditRange): Promise<AuditPage>;
}

export class DynamoAuditStore implements AuditStore {
  forPatient(patientId: string, range: AuditRange): Promise<AuditPage> {
    return this.page(undefined, 'pk', 'sk', auditKeys.partition(patientId), range);
  }

  forDay(day: string, range: AuditRange): Promise<AuditPage> {
    return this.page(auditKeys.byDayIndex, 'gsi1pk', 'gsi1sk', auditKeys.dayPartition(day), range);
  }

  /** One Query of a partition between two instants; sort keys are `<at>#<id>`, so `~` closes the range. */
  private async page(
    index: string | undefined,
    pkName: string,
    skName: string,
    partition: string,
    range: AuditRange,
  ): Promise<AuditPage> {
    const out = await db().send(
      new QueryCommand({
        TableName: tableName(),
        ...(index ? { IndexName: index } : {}),
        KeyConditionExpression: `${pkName} = :pk AND ${skName} BETWEEN :from AND :to`,
        ExpressionAttributeValues: { ':pk': partition, ':from': range.from, ':to': `${range.to}~` },
        ScanIndexForward: false,
        Limit: range.limit,
        ...(range.after ? { ExclusiveStartKey: range.after } : {}),
      }),
    );
    return { items: (out.Items ?? []).map((i) => recordOf<Item>(i)), after: out.LastEvaluatedKey };
  }
}
