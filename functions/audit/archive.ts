// The audit archive: every stream record of an audit item (AUDIT# keys), as one NDJSON object per stream batch in
// the S3 bucket with Object Lock in compliance mode (6 years). Audit records are append-only, so any record but an
// INSERT (an overwrite, a delete, a TTL expiry) is tampering: the archive keeps both images and it is reported.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

type Image = Record<string, AttributeValue>;

/**
 * What every audit partition key (auditKeys in shared/audit.ts: by patient, practice and day) starts with; the
 * stream filter and the table's resource policy use it too (archive.test.ts checks it against auditKeys).
 */
export const AUDIT_KEY_PREFIX = 'AUDIT#';

/** One line of an archive object: the stream record as DynamoDB gave it, images unmarshalled. */
export interface ArchivedChange {
  eventId: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  sequenceNumber: string;
  /** Seconds since the epoch (DynamoDB's ApproximateCreationDateTime). */
  approximateCreationDateTime: number | undefined;
  /** Set by DynamoDB when its TTL removed the item (`Service` / `dynamodb.amazonaws.com`). */
  userIdentity?: { type: string; principalId: string };
  keys: Record<string, unknown>;
  newImage?: Record<string, unknown>;
  oldImage?: Record<string, unknown>;
}

export interface ArchiveObject {
  /** audit/<yyyy>/<mm>/<dd>/<first sequence number>-<last sequence number>.ndjson: a retry writes the same key. */
  key: string;
  body: string;
  /** Changes that were not appends: each one is tampering with the audit trail. */
  tampered: { eventName: string; sequenceNumber: string; byTtl: boolean }[];
}

function toChange(record: DynamoDBRecord): ArchivedChange {
  const stream = record.dynamodb ?? {};
  return {
    eventId: record.eventID ?? '',
    eventName: record.eventName ?? 'INSERT',
    sequenceNumber: stream.SequenceNumber ?? '',
    approximateCreationDateTime: stream.ApproximateCreationDateTime,
    ...(record.userIdentity ? { userIdentity: record.userIdentity } : {}),
    keys: unmarshall((stream.Keys ?? {}) as Image),
    ...(stream.NewImage ? { newImage: unmarshall(stream.NewImage as Image) } : {}),
    ...(stream.OldImage ? { oldImage: unmarshall(stream.OldImage as Image) } : {}),
  };
}

/** The batch's archive object, or undefined when the batch holds no audit record. */
export function archiveObject(records: readonly DynamoDBRecord[]): ArchiveObject | undefined {
  const changes = records.map(toChange).filter((c) => String(c.keys.pk ?? '').startsWith(AUDIT_KEY_PREFIX));
  const first = changes[0];
  const last = changes.at(-1);
  if (!first || !last) return undefined;
  const day = new Date((first.approximateCreationDateTime ?? 0) * 1000).toISOString().slice(0, 10);
  return {
    key: `audit/${day.replaceAll('-', '/')}/${first.sequenceNumber}-${last.sequenceNumber}.ndjson`,
    body: changes
      .map((c) => JSON.stringify(c))
      .join('\n')
      .concat('\n'),
    tampered: changes
      .filter((c) => c.eventName !== 'INSERT')
      .map((c) => ({
        eventName: c.eventName,
        sequenceNumber: c.sequenceNumber,
        byTtl: c.userIdentity?.principalId === 'dynamodb.amazonaws.com',
      })),
  };
}
