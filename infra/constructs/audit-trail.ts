// The tenant's CloudTrail: every management event of the account (all regions) and the data events of the EMR
// table and the export bucket, delivered to an archive bucket under Object Lock for the audit period, encrypted
// with the data key (DynamoDB data events carry key values, some derived from PHI), with log file validation,
// and copied to an encrypted log group whose metric filters raise the security alarms (monitoring.ts).
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from './encrypted-log-group.ts';

export interface AuditTrailProps {
  tenantId: string;
  /** Encrypts the log files and the log group (and must admit CloudTrail and CloudWatch Logs for them). */
  dataKey: kms.Key;
  retentionDays: number;
  lockMode: 'COMPLIANCE' | 'GOVERNANCE';
  /** Data events of this table (every item read and write) are recorded. */
  tableArn: string;
  /** Data events of this bucket's objects (the bulk exports) are recorded. */
  exportBucket: s3.IBucket;
  /** Where the archive bucket's own server access logs go (SSE-S3, as S3 requires). */
  accessLogsBucket: s3.IBucket;
}

/** The trail's fixed name, so its ARN can sit in the key policy without a reference cycle. */
export function trailName(tenantId: string): string {
  return `continuum-${tenantId}`;
}

export class AuditTrail extends Construct {
  readonly bucket: s3.Bucket;
  readonly trail: cloudtrail.Trail;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = trailName(props.tenantId);
    const trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: name });

    // Object Lock: no version of a log file can be deleted or overwritten before the audit period ends; in
    // COMPLIANCE mode not even by the account's root user.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
    const retention = Duration.days(props.retentionDays);
    this.bucket = new s3.Bucket(this, 'Archive', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: props.dataKey,
      bucketKeyEnabled: true,
      objectLockDefaultRetention:
        props.lockMode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(retention)
          : s3.ObjectLockRetention.governance(retention),
      lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: retention }],
      serverAccessLogsBucket: props.accessLogsBucket,
      serverAccessLogsPrefix: 'trail-archive/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.logGroup = new EncryptedLogGroup(this, 'Logs', {
      logGroupName: `/aws/cloudtrail/${name}`,
      encryptionKey: props.dataKey,
      retentionDays: props.retentionDays,
    }).logGroup;

    // The data key admits CloudTrail for this trail's log files only, and CloudWatch Logs for this group only.
    // https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
    props.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailEncryptsTrailLogs',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceArn': trailArn },
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*`,
          },
        },
      }),
    );
    props.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailDescribesKey',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
      }),
    );
    props.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchLogsEncryptsTrailLogGroup',
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnEquals: {
            'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
              service: 'logs',
              resource: 'log-group',
              resourceName: `/aws/cloudtrail/${name}`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: name,
      bucket: this.bucket,
      encryptionKey: props.dataKey,
      enableFileValidation: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
    });
    // Advanced selectors: every management event, and the data events of the table and the export objects (the
    // basic selectors cannot name a DynamoDB table).
    // https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedEventSelector.html
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.eventSelectors = undefined;
    cfnTrail.advancedEventSelectors = [
      {
        name: 'Management events',
        fieldSelectors: [{ field: 'eventCategory', equalTo: ['Management'] }],
      },
      {
        name: 'EMR table items',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::DynamoDB::Table'] },
          { field: 'resources.ARN', equalTo: [props.tableArn] },
        ],
      },
      {
        name: 'Bulk export objects',
        fieldSelectors: [
          { field: 'eventCategory', equalTo: ['Data'] },
          { field: 'resources.type', equalTo: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: [`${props.exportBucket.bucketArn}/`] },
        ],
      },
    ];
  }
}
