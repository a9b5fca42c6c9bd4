// The audit archiver: the table's stream (audit keys only) → one Lambda function (ContinuumFunction's defaults) →
// NDJSON objects in the Object Lock archive bucket. With its failed-batches queue and three alarms: it failed,
// it gave a batch up, or an audit record was changed or removed (audit records are append-only).
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AUDIT_KEY_PREFIX } from '#functions/audit/archive.ts';
import { ContinuumFunction, type ContinuumFunctionProps } from './continuum-function.ts';

export const ARCHIVER_HANDLER = 'functions/audit/handlers/archive-stream.ts';

/** One batch per shard at a time (parallelization factor 1); 2 covers a table whose stream has split a shard. */
export const ARCHIVER_RESERVED_CONCURRENCY = 2;

/** One namespace per tenant: two tenants in one account must not trip each other's alarm. */
const AUDIT_METRIC_NAMESPACE = (tenantId: string) => `Continuum/${tenantId}/Audit`;

export function archiverNames(tenantId: string) {
  const prefix = `continuum-${tenantId}-audit-archive`;
  return {
    function: prefix,
    failedBatches: `${prefix}-failed-batches`,
    alarms: {
      errors: `${prefix}-errors`,
      failedBatches: `${prefix}-failed-batches`,
      recordChanged: `continuum-${tenantId}-audit-record-changed`,
    },
  };
}

export interface AuditArchiverProps
  extends Omit<
    ContinuumFunctionProps,
    'functionName' | 'description' | 'roleDescription' | 'handler' | 'environment' | 'reservedConcurrency'
  > {
  tenantId: string;
  streamTable: dynamodb.ITableV2;
  /** The archive bucket's name (an import of the stateful stack's named export). */
  archiveBucketName: string;
  alarmTopic: sns.ITopic;
}

/** What the archiver may write: objects under audit/ of the archive bucket. */
export function archiveObjectsArn(stack: Stack, bucketName: string): string {
  return `arn:${stack.partition}:s3:::${bucketName}/audit/*`;
}

export class AuditArchiver extends ContinuumFunction {
  readonly failedBatches: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(
    scope: ConstructorParameters<typeof ContinuumFunction>[0],
    id: string,
    props: AuditArchiverProps,
  ) {
    const names = archiverNames(props.tenantId);
    super(scope, id, {
      ...props,
      functionName: names.function,
      description: 'Copies every audit record from the table stream to the Object Lock archive bucket',
      roleDescription: `${names.function}: audit records from the table's stream to the archive bucket`,
      handler: ARCHIVER_HANDLER,
      environment: {
        AUDIT_ARCHIVE_BUCKET: props.archiveBucketName,
        POWERTOOLS_SERVICE_NAME: 'continuum',
      },
      reservedConcurrency: ARCHIVER_RESERVED_CONCURRENCY,
    });

    // Put only, only under audit/: it can neither read, overwrite a locked version, nor delete anything.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AppendToArchive',
        actions: ['s3:PutObject'],
        resources: [archiveObjectsArn(Stack.of(this), props.archiveBucketName)],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptArchiveObjects',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );

    // The record of a batch Lambda gave up on (stream position only, no item data), kept 14 days: replay from
    // the table (docs/deploy.md#for-your-hipaa-auditor).
    this.failedBatches = new sqs.Queue(this, 'FailedBatches', {
      queueName: names.failedBatches,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Lambda sends the on-failure record with the function's role (the data key through SQS is allowed by
    // ContinuumFunction's EncryptDeadLetters).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendFailedBatches',
        actions: ['sqs:SendMessage'],
        resources: [this.failedBatches.queueArn],
      }),
    );

    this.function.addEventSource(
      new DynamoEventSource(props.streamTable, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 1000,
        maxBatchingWindow: Duration.seconds(60),
        bisectBatchOnError: true,
        retryAttempts: 10,
        parallelizationFactor: 1,
        // Only audit items: INSERT and MODIFY by their keys, REMOVE too (keys are in every record).
        filters: [
          lambda.FilterCriteria.filter({
            dynamodb: { Keys: { pk: { S: lambda.FilterRule.beginsWith(AUDIT_KEY_PREFIX) } } },
          }),
        ],
        onFailure: { bind: () => ({ destination: this.failedBatches.queueArn }) },
      }),
    );

    // The archiver logs `event: audit-record-changed` for each record that is not an append.
    new logs.MetricFilter(this, 'RecordChangedFilter', {
      logGroup: this.logGroup,
      filterPattern: logs.FilterPattern.stringValue('$.event', '=', 'audit-record-changed'),
      metricNamespace: AUDIT_METRIC_NAMESPACE(props.tenantId),
      metricName: 'AuditRecordChanged',
      metricValue: '1',
    });
    const common = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    const period = Duration.minutes(5);
    const alarm = (alarmId: string, alarmProps: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, alarmId, alarmProps);
      created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarms.push(created);
    };
    alarm('RecordChangedAlarm', {
      ...common,
      alarmName: names.alarms.recordChanged,
      alarmDescription:
        'An audit record was overwritten or removed: read both images in the archive (docs/deploy.md#for-your-hipaa-auditor)',
      metric: new cloudwatch.Metric({
        namespace: AUDIT_METRIC_NAMESPACE(props.tenantId),
        metricName: 'AuditRecordChanged',
        statistic: 'Sum',
        period,
      }),
    });
    alarm('ErrorsAlarm', {
      ...common,
      alarmName: names.alarms.errors,
      alarmDescription: 'The audit archiver failed a batch (it is retried)',
      metric: this.function.metricErrors({ period, statistic: 'Sum' }),
    });
    alarm('FailedBatchesAlarm', {
      ...common,
      alarmName: names.alarms.failedBatches,
      alarmDescription:
        'The audit archiver gave up on a batch: replay it (docs/deploy.md#for-your-hipaa-auditor)',
      metric: this.failedBatches.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    });
  }
}
