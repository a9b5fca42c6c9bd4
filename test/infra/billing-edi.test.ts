// Billing's EDI in AWS: the retained, versioned, KMS-encrypted EDI bucket (stateful), the ingest function its
// inbound/ files reach through EventBridge (on-failure queue, alarms, least privilege on the bucket), the daily
// timely-filing check, and the batch route's right to put files under outbound/ only. cdk-nag: test/infra/app.test.ts.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ediNames } from '../../infra/constructs/billing-edi.ts';
import { buildApp, statements, templateOf } from './build.ts';

type Json = Record<string, unknown>;

describe("billing's EDI", () => {
  const { app, tenants } = buildApp(['acme']);
  const { stateful, stateless } = tenants.acme ?? ({} as never);
  const data = templateOf(app, stateful);
  const compute = templateOf(app, stateless.billingEdiStack);
  const names = ediNames('acme');

  it('keeps EDI files in a private, versioned, KMS-encrypted bucket that outlives the stack, with events to EventBridge', () => {
    const buckets = data.findResources('AWS::S3::Bucket', {
      Properties: { NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } } },
    });
    const [id, bucket] = Object.entries(buckets)[0] ?? [];
    expect(id).toMatch(/^EdiBucket/);
    expect(bucket).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] },
              },
            },
          ],
        },
        LoggingConfiguration: { LogFilePrefix: 'edi-bucket/' },
      },
    });
  });

  it('ingests files created under inbound/ only, retrying and then keeping the event in an encrypted queue', () => {
    compute.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { object: { key: [{ prefix: 'inbound/' }] } },
      },
      Targets: [
        Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8 }, DeadLetterConfig: Match.anyValue() }),
      ],
    });
    compute.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
    compute.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.failedEvents,
      KmsMasterKeyId: Match.anyValue(),
    });
    compute.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: names.ingest,
      Environment: { Variables: Match.objectLike({ EDI_BUCKET: Match.anyValue() }) },
    });
  });

  it('alarms when ingestion fails, gives up, or refuses a file, and when the daily check fails', () => {
    for (const alarm of Object.values(names.alarms))
      compute.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: alarm,
        AlarmActions: Match.anyValue(),
      });
  });

  it('checks timely filing daily', () => {
    compute.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 6 * * ? *)' });
  });

  it('lets the ingest function read inbound/ and write refused/ only, and never delete', () => {
    const s3 = statements(compute.toJSON() as { Resources: Record<string, Json> })
      .map((s) => s.statement)
      .filter((s) => JSON.stringify(s.Action).includes('s3:'));
    const text = JSON.stringify(s3);
    expect(text).toContain('/inbound/*');
    expect(text).toContain('/refused/*');
    expect(text).not.toContain('s3:DeleteObject');
    expect(text).not.toMatch(/s3:\*/);
  });
});
