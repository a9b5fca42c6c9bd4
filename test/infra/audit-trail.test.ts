// Issue 19, item 1: the audit trail is append-only. The table's resource policy denies changing, deleting or
// expiring an audit item to everyone and appending one to every role but the audit writers (the route
// functions); every audit record is copied to an Object Lock (compliance, 6 years) archive, with an alarm on any
// record that was not an append.
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { AUDIT_WRITER_TAG } from '../../infra/constructs/route-function.ts';
import type { TenantStacks } from '../../infra/tenant.ts';
import { asArray, buildApp, statements, templateOf } from './build.ts';

type Json = Record<string, unknown>;

let stacks: TenantStacks;
let stateful: Template;
let stateless: Template;
let functionStacks: Template[];

beforeAll(() => {
  const { app, tenants } = buildApp(['acme']);
  stacks = tenants.acme as TenantStacks;
  stateful = templateOf(app, stacks.stateful);
  stateless = templateOf(app, stacks.stateless);
  functionStacks = stacks.stateless.functionStacks.map((s) => templateOf(app, s));
});

const auditKeys = { 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } };

describe('the table resource policy', () => {
  const policy = (): Json[] => {
    const table = Object.values(stateful.findResources('AWS::DynamoDB::GlobalTable'))[0]?.Properties as Json;
    const replica = (table.Replicas as Json[])[0] as Json;
    return ((replica.ResourcePolicy as Json).PolicyDocument as { Statement: Json[] }).Statement;
  };

  it('denies everyone updating or deleting an audit item, by any API', () => {
    expect(policy()).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: expect.arrayContaining([
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:PartiQLUpdate',
          'dynamodb:PartiQLDelete',
        ]),
        Condition: auditKeys,
      }),
    );
  });

  it('denies putting an audit item that could expire (the TTL attribute)', () => {
    expect(policy()).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['dynamodb:PartiQLInsert', 'dynamodb:PutItem'],
        Condition: { ...auditKeys, 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['expiresAt'] } },
      }),
    );
  });

  it('denies appending an audit item to every role not tagged as an audit writer', () => {
    expect(policy()).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['dynamodb:PartiQLInsert', 'dynamodb:PutItem'],
        Condition: { ...auditKeys, StringNotEquals: { [`aws:PrincipalTag/${AUDIT_WRITER_TAG}`]: 'true' } },
      }),
    );
  });

  it('tags exactly the route functions that write the table as audit writers; the stream consumers are not', () => {
    const tagged = (template: Template) =>
      Object.values(template.findResources('AWS::IAM::Role')).filter((r) =>
        asArray((r.Properties as Json).Tags as Json[]).some(
          (t) => t.Key === AUDIT_WRITER_TAG && t.Value === 'true',
        ),
      );
    const writers = routes.filter((r) => r.tableAccess === 'read' || r.tableAccess === 'write');
    expect(functionStacks.flatMap(tagged)).toHaveLength(writers.length);
    expect(tagged(stateless)).toEqual([]);
    expect(tagged(stateful)).toEqual([]);
  });
});

describe('the audit archive', () => {
  it('is Object Lock in compliance mode for 6 years, KMS-encrypted, versioned, access-logged, private and retained', () => {
    // The audit archive, by its access-log prefix (the CloudTrail archive is Object-Locked too).
    const buckets = stateful.findResources('AWS::S3::Bucket', {
      Properties: { ObjectLockEnabled: true, LoggingConfiguration: { LogFilePrefix: 'audit-archive/' } },
    });
    expect(Object.keys(buckets)).toHaveLength(1);
    const [id, bucket] = Object.entries(buckets)[0] as [string, Json];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          expect.objectContaining({
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() },
          }),
        ],
      },
      LoggingConfiguration: { DestinationBucketName: expect.anything(), LogFilePrefix: 'audit-archive/' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('is fed by an archiver that reads only audit keys from the stream and may only add objects under audit/', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('AuditArchiver') },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      FilterCriteria: { Filters: [{ Pattern: '{"dynamodb":{"Keys":{"pk":{"S":[{"prefix":"AUDIT#"}]}}}}' }] },
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    const archiver = statements(stateless.toJSON() as never).filter(({ policy }) =>
      policy.startsWith('AuditArchiverRole'),
    );
    const actions = archiver.flatMap(({ statement }) => asArray(statement.Action as string | string[]));
    expect(actions.filter((a) => a.startsWith('s3:'))).toEqual(['s3:PutObject']);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:DescribeStream',
      'dynamodb:GetRecords',
      'dynamodb:GetShardIterator',
      'dynamodb:ListStreams',
    ]);
    const put = archiver.find(({ statement }) => statement.Action === 's3:PutObject')?.statement;
    expect(JSON.stringify(put?.Resource)).toMatch(/continuum-acme-audit-archive-bucket.*\/audit\/\*/);
  });

  it('alarms when an audit record is changed or removed, and when archiving fails', () => {
    stateless.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.event = "audit-record-changed" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'AuditRecordChanged', MetricValue: '1' })],
    });
    const names = Object.values(stateless.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => (a.Properties as Json).AlarmName,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'continuum-acme-audit-record-changed',
        'continuum-acme-audit-archive-errors',
        'continuum-acme-audit-archive-failed-batches',
      ]),
    );
    for (const alarm of Object.values(stateless.findResources('AWS::CloudWatch::Alarm'))) {
      expect(
        (alarm.Properties as Json).AlarmActions,
        String((alarm.Properties as Json).AlarmName),
      ).toBeDefined();
    }
  });
});
