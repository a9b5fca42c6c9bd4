// Billing's EDI in AWS, beside the API: the S3-event Lambda that ingests what the clearinghouse drops in the EDI
// bucket's inbound/ prefix (835, 999, 277CA: the same use case as POST /v1/remittances), with its on-failure queue
// and alarms, and the scheduled Lambda that flags claims nearing their payer's timely-filing limit. The bucket is
// the stateful stack's; its "Object Created" events reach the ingest function through EventBridge, so the bucket
// needs no notification custom resource and no reference back to this stack.
import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '#shared/metrics.ts';
import { ContinuumFunction, type PurposeFunctionProps } from './continuum-function.ts';
import {
  AUDIT_WRITER_TAG,
  TABLE_KEY_ACTIONS,
  TABLE_READ_ACTIONS,
  TABLE_WRITE_ACTIONS,
  type TableRef,
} from './route-function.ts';

export const EDI_INGEST_HANDLER = 'functions/billing/handlers/ingest-edi-file.ts';
export const TIMELY_FILING_HANDLER = 'functions/billing/handlers/flag-timely-filing.ts';

export function ediNames(tenantId: string) {
  const prefix = `continuum-${tenantId}`;
  return {
    ingest: `${prefix}-edi-ingest`,
    timelyFiling: `${prefix}-timely-filing`,
    failedEvents: `${prefix}-edi-ingest-failed`,
    alarms: {
      ingestErrors: `${prefix}-edi-ingest-errors`,
      failedEvents: `${prefix}-edi-ingest-failed`,
      refused: `${prefix}-edi-files-refused`,
      timelyFilingErrors: `${prefix}-timely-filing-errors`,
    },
  };
}

export interface BillingEdiProps extends Omit<PurposeFunctionProps, 'environment'> {
  tenantId: string;
  environment: Record<string, string>;
  table: TableRef;
  ediBucketName: string;
  alarmTopic: sns.ITopic;
}

export class BillingEdi extends Construct {
  readonly ingest: ContinuumFunction;
  readonly timelyFiling: ContinuumFunction;
  readonly failedEvents: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: BillingEdiProps) {
    super(scope, id);
    const names = ediNames(props.tenantId);
    const stack = Stack.of(this);
    const environment = { ...props.environment, EDI_BUCKET: props.ediBucketName };
    const common = { ...props, environment };

    this.ingest = new ContinuumFunction(this, 'Ingest', {
      ...common,
      functionName: names.ingest,
      description: "Ingests 835, 999 and 277CA files dropped in the EDI bucket's inbound/ prefix",
      roleDescription: `${names.ingest}: EDI files from the EDI bucket's inbound/ into claims and ledgers`,
      handler: EDI_INGEST_HANDLER,
      memoryMb: 1024,
      // A remittance of a few thousand claims posts one transaction per claim.
      timeoutSeconds: 900,
      reservedConcurrency: 2,
    });
    this.timelyFiling = new ContinuumFunction(this, 'TimelyFiling', {
      ...common,
      functionName: names.timelyFiling,
      description: "Flags unsent claims nearing their payer's timely-filing limit (daily)",
      roleDescription: `${names.timelyFiling}: reads unsent claims, flags those near the timely-filing limit`,
      handler: TIMELY_FILING_HANDLER,
      memoryMb: 512,
      timeoutSeconds: 300,
      reservedConcurrency: 1,
    });

    for (const fn of [this.ingest, this.timelyFiling]) {
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadTable',
          actions: TABLE_READ_ACTIONS,
          resources: [props.table.arn, `${props.table.arn}/index/*`],
        }),
      );
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'WriteTable',
          actions: TABLE_WRITE_ACTIONS,
          resources: [props.table.arn],
        }),
      );
      fn.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'TableKey',
          actions: TABLE_KEY_ACTIONS,
          resources: [props.table.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.amazonaws.com` } },
        }),
      );
      // Both write audit records (posting touches patients' accounts).
      Tags.of(fn.role).add(AUDIT_WRITER_TAG, 'true');
    }

    // Read inbound/, write refusals under refused/: nothing else in the bucket, never a delete.
    const bucketArn = `arn:${stack.partition}:s3:::${props.ediBucketName}`;
    this.ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadInbound',
        actions: ['s3:GetObject'],
        resources: [`${bucketArn}/inbound/*`],
      }),
    );
    this.ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteRefusals',
        actions: ['s3:PutObject'],
        resources: [`${bucketArn}/refused/*`],
      }),
    );
    this.ingest.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EdiObjectsKey',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } },
      }),
    );

    // Events Lambda could not process after its retries (the database down for the whole window): the event (bucket
    // and key, no file content) kept 14 days, to drop the file again once fixed.
    this.failedEvents = new sqs.Queue(this, 'FailedEvents', {
      queueName: names.failedEvents,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.ingest.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new destinations.SqsDestination(this.failedEvents),
    });

    new events.Rule(this, 'InboundFiles', {
      description: "EDI files created under the EDI bucket's inbound/ prefix",
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.ediBucketName] }, object: { key: [{ prefix: 'inbound/' }] } },
      },
      targets: [
        new targets.LambdaFunction(this.ingest.function, {
          retryAttempts: 8,
          deadLetterQueue: this.failedEvents,
        }),
      ],
    });
    new events.Rule(this, 'Daily', {
      description: 'Flags claims nearing their timely-filing limit, daily at 06:00 UTC',
      schedule: events.Schedule.cron({ minute: '0', hour: '6' }),
      targets: [
        new targets.LambdaFunction(this.timelyFiling.function, {
          retryAttempts: 2,
          deadLetterQueue: this.failedEvents,
        }),
      ],
    });

    const period = Duration.minutes(5);
    const alarm = (
      alarmId: string,
      alarmProps: Omit<cloudwatch.AlarmProps, 'threshold' | 'evaluationPeriods'>,
    ) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...alarmProps,
      });
      created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
      this.alarms.push(created);
    };
    alarm('IngestErrors', {
      alarmName: names.alarms.ingestErrors,
      alarmDescription: 'An EDI file failed to ingest (it is retried): see the ingest function’s log',
      metric: this.ingest.function.metricErrors({ period, statistic: 'Sum' }),
    });
    alarm('FailedEventsAlarm', {
      alarmName: names.alarms.failedEvents,
      alarmDescription:
        'An EDI file was given up on: drop it in inbound/ again once the cause is fixed (docs/billing.md)',
      metric: this.failedEvents.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
    });
    alarm('RefusedAlarm', {
      alarmName: names.alarms.refused,
      alarmDescription:
        'An EDI file was refused (unbalanced, unknown claims): its reasons are under refused/',
      metric: new cloudwatch.Metric({
        namespace: METRIC_NAMESPACE,
        metricName: 'EdiFilesRefused',
        dimensionsMap: { Practice: props.tenantId },
        statistic: 'Sum',
        period,
      }),
    });
    alarm('TimelyFilingErrors', {
      alarmName: names.alarms.timelyFilingErrors,
      alarmDescription: 'The daily timely-filing check failed',
      metric: this.timelyFiling.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
    });
  }
}
