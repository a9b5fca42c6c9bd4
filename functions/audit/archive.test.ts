// The audit archive's objects: one per stream batch, audit records only, every non-append flagged as tampering.
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { auditKeys } from '#shared/audit.ts';
import { AUDIT_KEY_PREFIX, archiveObject } from './archive.ts';

const record = (
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE',
  sequence: string,
  pk: string,
  extra: Partial<DynamoDBRecord> = {},
): DynamoDBRecord => ({
  eventID: `e${sequence}`,
  eventName,
  eventSource: 'aws:dynamodb',
  dynamodb: {
    ApproximateCreationDateTime: 1_795_000_000,
    SequenceNumber: sequence,
    Keys: { pk: { S: pk }, sk: { S: `2026-11-18T10:00:00.000Z#01K${sequence}` } },
    ...(eventName !== 'REMOVE' ? { NewImage: { pk: { S: pk }, action: { S: 'patient.read' } } } : {}),
    ...(eventName !== 'INSERT' ? { OldImage: { pk: { S: pk }, action: { S: 'patient.read' } } } : {}),
  },
  ...extra,
});

describe('the audit archive', () => {
  it('uses the prefix of every audit partition', () => {
    for (const key of [
      auditKeys.partition('01KPATIENT'),
      auditKeys.partition(undefined),
      auditKeys.dayPartition('2026-11-18'),
    ])
      expect(key.startsWith(AUDIT_KEY_PREFIX)).toBe(true);
  });

  it('writes a batch of audit records as one NDJSON object keyed by day and stream position', () => {
    const object = archiveObject([
      record('INSERT', '100', 'AUDIT#PATIENT#01KPATIENT'),
      record('INSERT', '101', 'PATIENT#01KPATIENT'),
      record('INSERT', '102', 'AUDIT#PRACTICE'),
    ]);
    expect(object?.key).toBe('audit/2026/11/18/100-102.ndjson');
    const lines =
      object?.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)) ?? [];
    expect(lines.map((l) => l.keys.pk)).toEqual(['AUDIT#PATIENT#01KPATIENT', 'AUDIT#PRACTICE']);
    expect(lines[0]).toMatchObject({ eventName: 'INSERT', newImage: { action: 'patient.read' } });
    expect(object?.tampered).toEqual([]);
  });

  it('flags an overwrite, a delete and a TTL expiry of an audit record, keeping the old image', () => {
    const ttl = { userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' } };
    const object = archiveObject([
      record('MODIFY', '200', 'AUDIT#PRACTICE'),
      record('REMOVE', '201', 'AUDIT#PRACTICE'),
      record('REMOVE', '202', 'AUDIT#DAY#2026-11-18', ttl),
    ]);
    expect(object?.tampered).toEqual([
      { eventName: 'MODIFY', sequenceNumber: '200', byTtl: false },
      { eventName: 'REMOVE', sequenceNumber: '201', byTtl: false },
      { eventName: 'REMOVE', sequenceNumber: '202', byTtl: true },
    ]);
    expect(object?.body).toContain('"oldImage":{"pk":"AUDIT#PRACTICE","action":"patient.read"}');
  });

  it('writes nothing for a batch without audit records', () => {
    expect(archiveObject([record('INSERT', '300', 'PATIENT#01KPATIENT')])).toBeUndefined();
  });
});
