// Alarms to an encrypted SNS topic (e-mailed to the tenant's on-call address) and one CloudWatch dashboard per
// tenant: API 5xx rate, each function's errors and throttles, dead-letter queue depth, and the FHIR mirror's
// lag (iterator age), errors, failed batches and rejected resources. The route function alarms live beside
// their functions (addFunctionAlarms, in the context's nested stack); the rest lives here.
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AnyRoute } from '#shared/http/route.ts';
import { METRIC_NAMESPACE, MIRROR_METRICS } from '#shared/metrics.ts';
import { functionName, type RouteFunction } from './route-function.ts';

const PERIOD = Duration.minutes(5);
/**
 * Below this many requests in a period the 5xx rate is noise (one failure in two requests is not 50% down).
 */
const MIN_REQUESTS_FOR_RATE = 20;

/** Alarm names are fixed, so the dashboard can show alarms of other (nested) stacks without references. */
export function functionAlarmNames(
  tenantId: string,
  operationId: string,
): { errors: string; throttles: string } {
  const prefix = `continuum-${tenantId}-${operationId}`;
  return { errors: `${prefix}-errors`, throttles: `${prefix}-throttles` };
}

/** A function's metric, by its fixed name (no reference to the stack that holds it). */
function lambdaMetric(name: string, metricName: string, statistic: string, label: string): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap: { FunctionName: name },
    statistic,
    period: PERIOD,
    label,
  });
}

function withActions(alarm: cloudwatch.Alarm, topic: sns.ITopic): cloudwatch.Alarm {
  const action = new actions.SnsAction(topic);
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}

/**
 * A route function's alarms: errors (handlers turn every error into a problem response, so a Lambda error is a
 * crash or a timeout) and throttles (it hit its reserved concurrency).
 */
export function addFunctionAlarms(
  routeFunction: RouteFunction,
  props: { tenantId: string; topic: sns.ITopic },
): void {
  const { operationId } = routeFunction.route;
  const names = functionAlarmNames(props.tenantId, operationId);
  const common = {
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  withActions(
    new cloudwatch.Alarm(routeFunction, 'ErrorsAlarm', {
      ...common,
      alarmName: names.errors,
      alarmDescription: `${operationId} crashed or timed out`,
      metric: routeFunction.function.metricErrors({ period: PERIOD, statistic: 'Sum' }),
    }),
    props.topic,
  );
  withActions(
    new cloudwatch.Alarm(routeFunction, 'ThrottlesAlarm', {
      ...common,
      alarmName: names.throttles,
      alarmDescription: `${operationId} hit its reserved concurrency`,
      metric: routeFunction.function.metricThrottles({ period: PERIOD, statistic: 'Sum' }),
    }),
    props.topic,
  );
}

export interface MonitoringProps {
  tenantId: string;
  displayName: string;
  alarmEmail: string;
  /** An HTTPS endpoint that pages (alarmPagingUrl): every alarm goes there too. */
  pagingUrl?: string | undefined;
  key: kms.IKey;
}

export interface DashboardProps {
  api: apigateway.RestApi;
  stageName: string;
  routes: readonly AnyRoute[];
  /** Queues whose depth means lost work (the functions' DLQ). */
  deadLetterQueues: readonly sqs.IQueue[];
  /** The web ACL's name, for the blocked-requests widget. */
  webAclName: string;
  /** The FHIR mirror: its function (by name) and its two queues. */
  mirror?: MirrorWatch;
  /** The security alarms' sources (issue 19 item 9); absent in tests that build a bare dashboard. */
  security?: SecurityWatch;
}

export interface SecurityWatch {
  /** The API access log group: 401/403 and 429 responses are counted from it. */
  accessLogGroup: logs.ILogGroup;
  /** CloudTrail's log group: key, IAM and trail changes are counted from it. */
  trailLogGroup: logs.ILogGroup;
  /** The AWS Backup vault whose failed jobs alarm. */
  backupVaultName: string;
}

/**
 * Thresholds of the security alarms, per 5 minutes. Authentication failures: a few mistyped passwords or expired
 * tokens are normal, a burst is a credential-stuffing or token-guessing run. WAF blocks: scanners hit every
 * public API; a surge means a targeted attack. Throttled (429): a client is looping or the stage limit is too low.
 */
export const SECURITY_THRESHOLDS = { authFailures: 50, wafBlocks: 100, throttled: 20 } as const;

/** Custom metrics the alarms watch; AuditWriteFailures is emitted by shared/audit.ts as an embedded metric. */
export const CONTINUUM_NAMESPACE = METRIC_NAMESPACE;

/** The security alarms, by fixed name. */
export function securityAlarmNames(tenantId: string) {
  const prefix = `continuum-${tenantId}`;
  return {
    authFailures: `${prefix}-api-auth-failures`,
    throttled: `${prefix}-api-throttled`,
    wafBlocks: `${prefix}-waf-blocks`,
    backupFailures: `${prefix}-backup-failures`,
    auditWriteFailures: `${prefix}-audit-write-failures`,
    securityChanges: `${prefix}-key-iam-trail-changes`,
  };
}

/** A JSON filter pattern for these event names of one service, spelled out (filter patterns have no infix wildcards). */
function securityChangePattern(eventSource: string, eventNames: string[]): string {
  const names = eventNames.map((n) => `($.eventName = ${n})`).join(' || ');
  const pattern = `{ ($.eventSource = "${eventSource}") && (${names}) }`;
  // CloudWatch Logs takes filter patterns of at most 1024 characters.
  if (pattern.length > 1024) throw new Error(`The ${eventSource} filter pattern is too long`);
  return pattern;
}

/**
 * CloudTrail events that change who may do what or what is recorded: IAM policies and roles, KMS keys being
 * disabled, scheduled for deletion or re-policied, and the trail itself (CIS AWS Foundations 4.3-4.7).
 */
export const SECURITY_CHANGE_PATTERNS = [
  securityChangePattern('iam.amazonaws.com', [
    'PutRolePolicy',
    'PutUserPolicy',
    'PutGroupPolicy',
    'DeleteRolePolicy',
    'DeleteUserPolicy',
    'DeleteGroupPolicy',
    'CreatePolicy',
    'DeletePolicy',
    'CreatePolicyVersion',
    'DeletePolicyVersion',
    'SetDefaultPolicyVersion',
    'AttachRolePolicy',
    'DetachRolePolicy',
    'AttachUserPolicy',
    'DetachUserPolicy',
    'AttachGroupPolicy',
    'DetachGroupPolicy',
    'UpdateAssumeRolePolicy',
    'CreateAccessKey',
  ]),
  securityChangePattern('kms.amazonaws.com', [
    'DisableKey',
    'ScheduleKeyDeletion',
    'PutKeyPolicy',
    'DisableKeyRotation',
  ]),
  securityChangePattern('cloudtrail.amazonaws.com', [
    'StopLogging',
    'DeleteTrail',
    'UpdateTrail',
    'PutEventSelectors',
  ]),
];

export interface MirrorWatch {
  functionName: string;
  /** The event source mapping's on-failure destination. */
  failedBatches: sqs.IQueue;
  /** What the FHIR store rejected (DEAD_LETTER_QUEUE_URL). */
  rejected: sqs.IQueue;
}

/** Stream lag above this (the age of the newest record the mirror has read) for 3 of 5 minutes is an alarm. */
export const MIRROR_MAX_ITERATOR_AGE_SECONDS = 60;

/** The mirror's alarms, by fixed name. */
export function mirrorAlarmNames(tenantId: string): {
  iteratorAge: string;
  errors: string;
  failedBatches: string;
  rejected: string;
} {
  const prefix = `continuum-${tenantId}`;
  return {
    iteratorAge: `${prefix}-mirror-iterator-age`,
    errors: `${prefix}-mirror-errors`,
    failedBatches: `${prefix}-mirror-failed-batches-depth`,
    rejected: `${prefix}-fhir-rejected-depth`,
  };
}

/**
 * Built in two steps: the topic first (the function stacks send their alarms to it), then, once the API
 * exists, the API and queue alarms and the dashboard (`watch`).
 */
export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  /** Alarm notifications SNS could not deliver. */
  readonly undeliveredAlarms: sqs.Queue;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly tenantId: string;
  private readonly displayName: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.tenantId = props.tenantId;
    this.displayName = props.displayName;
    const prefix = `continuum-${props.tenantId}`;

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      topicName: `${prefix}-alarms`,
      displayName: `Continuum ${props.displayName} alarms`,
      masterKey: props.key,
      enforceSSL: true,
    });
    // Alarms that SNS cannot deliver (a bouncing mailbox) wait here instead of vanishing.
    this.undeliveredAlarms = new sqs.Queue(this, 'UndeliveredAlarms', {
      queueName: `${prefix}-undelivered-alarms`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.topic.addSubscription(
      new subscriptions.EmailSubscription(props.alarmEmail, { deadLetterQueue: this.undeliveredAlarms }),
    );
    if (props.pagingUrl) {
      this.topic.addSubscription(
        new subscriptions.UrlSubscription(props.pagingUrl, {
          protocol: sns.SubscriptionProtocol.HTTPS,
          deadLetterQueue: this.undeliveredAlarms,
        }),
      );
    }
  }

  private alarm(id: string, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
    const created = withActions(
      new cloudwatch.Alarm(this, id, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...props,
      }),
      this.topic,
    );
    this.alarms.push(created);
    return created;
  }

  /** The API and queue alarms, and the dashboard. */
  watch(props: DashboardProps): cloudwatch.Dashboard {
    const prefix = `continuum-${this.tenantId}`;
    const dimensionsMap = { ApiName: props.api.restApiName, Stage: props.stageName };
    const apiMetric = (metricName: string, statistic = 'Sum') =>
      new cloudwatch.Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap,
        statistic,
        period: PERIOD,
      });
    const serverErrorRate = new cloudwatch.MathExpression({
      label: '5xx rate',
      expression: `IF(requests >= ${MIN_REQUESTS_FOR_RATE}, errors / requests, 0)`,
      usingMetrics: { errors: apiMetric('5XXError'), requests: apiMetric('Count') },
      period: PERIOD,
    });
    this.alarm('Api5xxRate', {
      alarmName: `${prefix}-api-5xx-rate`,
      alarmDescription: `More than 5% of ${this.displayName}'s API requests failed with 5xx`,
      metric: serverErrorRate,
      threshold: 0.05,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    const queues = [...props.deadLetterQueues, this.undeliveredAlarms];
    for (const [index, queue] of queues.entries()) {
      this.alarm(`QueueDepth${index}`, {
        alarmName: `${prefix}-${queue === this.undeliveredAlarms ? 'undelivered-alarms' : `dlq-${index}`}-depth`,
        alarmDescription: 'Messages are waiting in a dead-letter queue',
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    const mirrorWidgets = props.mirror ? this.watchMirror(props.mirror) : [];
    const securityWidgets = props.security ? this.watchSecurity(props.security, props.webAclName) : [];

    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: prefix,
      defaultInterval: Duration.hours(3),
    });
    const perFunction = (metricName: string, statistic: string) =>
      props.routes.map((r) =>
        lambdaMetric(functionName(this.tenantId, r.operationId), metricName, statistic, r.operationId),
      );
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# Continuum: ${this.displayName}\nAPI \`${props.api.restApiName}\`, stage \`${props.stageName}\`.`,
        width: 24,
        height: 2,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [apiMetric('Count'), apiMetric('4XXError'), apiMetric('5XXError')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'API 5xx rate',
        left: [serverErrorRate],
        leftAnnotations: [{ value: 0.05, label: 'alarm' }],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (p50, p99)',
        left: [
          apiMetric('Latency', 'p50'),
          apiMetric('Latency', 'p99'),
          apiMetric('IntegrationLatency', 'p99'),
        ],
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Function errors', left: perFunction('Errors', 'Sum'), width: 8 }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        left: perFunction('Throttles', 'Sum'),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function duration p99',
        left: perFunction('Duration', 'p99'),
        width: 8,
      }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Dead-letter queues (messages waiting)',
        left: queues.map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'WAF blocked requests',
        left: [
          new cloudwatch.Metric({
            namespace: 'AWS/WAFV2',
            metricName: 'BlockedRequests',
            dimensionsMap: { WebACL: props.webAclName, Region: Stack.of(this).region, Rule: 'ALL' },
            statistic: 'Sum',
            period: PERIOD,
          }),
        ],
        width: 12,
      }),
    );
    if (mirrorWidgets.length > 0) dashboard.addWidgets(...mirrorWidgets);
    if (securityWidgets.length > 0) dashboard.addWidgets(...securityWidgets);
    const functionAlarms = props.routes.flatMap((r) => {
      const names = functionAlarmNames(this.tenantId, r.operationId);
      return [
        cloudwatch.Alarm.fromAlarmName(this, `Watch-${r.operationId}-errors`, names.errors),
        cloudwatch.Alarm.fromAlarmName(this, `Watch-${r.operationId}-throttles`, names.throttles),
      ];
    });
    // An alarm status widget shows at most 100 alarms: the tenant-wide ones first.
    dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: 'Alarms',
        alarms: [...this.alarms, ...functionAlarms].slice(0, 100),
        width: 24,
      }),
    );
    return dashboard;
  }

  /**
   * The six security alarms (issue 19 item 9; docs/deploy.md#for-your-hipaa-auditor): authentication failures,
   * throttled requests, WAF blocks, failed backups, failed audit writes and key/IAM/trail changes. Counts from
   * logs are metric filters (free); the rest are AWS metrics and one embedded metric.
   */
  private watchSecurity(security: SecurityWatch, webAclName: string): cloudwatch.IWidget[] {
    const names = securityAlarmNames(this.tenantId);
    const namespace = `${CONTINUUM_NAMESPACE}/${this.tenantId}`;
    const countFrom = (id: string, logGroup: logs.ILogGroup, metricName: string, pattern: string) =>
      new logs.MetricFilter(this, id, {
        logGroup,
        metricNamespace: namespace,
        metricName,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricValue: '1',
        defaultValue: 0,
      }).metric({ statistic: 'Sum', period: PERIOD });
    const above = (threshold: number) => ({
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    const authFailures = countFrom(
      'AuthFailuresFilter',
      security.accessLogGroup,
      'AuthFailures',
      '{ ($.status = "401") || ($.status = "403") }',
    );
    this.alarm('AuthFailures', {
      alarmName: names.authFailures,
      alarmDescription: `At least ${SECURITY_THRESHOLDS.authFailures} requests were refused 401/403 in 5 minutes: someone may be guessing credentials or tokens (access log: sourceIp, sub)`,
      metric: authFailures,
      ...above(SECURITY_THRESHOLDS.authFailures),
    });
    const throttled = countFrom(
      'ThrottledFilter',
      security.accessLogGroup,
      'Throttled',
      '{ $.status = "429" }',
    );
    this.alarm('Throttled', {
      alarmName: names.throttled,
      alarmDescription: `At least ${SECURITY_THRESHOLDS.throttled} requests were throttled (429) in 5 minutes: a looping client, or throttling/usage-plan limits too low`,
      metric: throttled,
      ...above(SECURITY_THRESHOLDS.throttled),
    });
    const wafBlocks = new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: webAclName, Region: Stack.of(this).region, Rule: 'ALL' },
      statistic: 'Sum',
      period: PERIOD,
    });
    this.alarm('WafBlocks', {
      alarmName: names.wafBlocks,
      alarmDescription: `WAF blocked at least ${SECURITY_THRESHOLDS.wafBlocks} requests in 5 minutes: a targeted scan or attack (WAF log: aws-waf-logs-${this.tenantId})`,
      metric: wafBlocks,
      ...above(SECURITY_THRESHOLDS.wafBlocks),
    });
    // One alarm for every kind of failed AWS Backup job of the vault (metric math, not three alarms).
    // https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html
    const backupMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Backup',
        metricName,
        dimensionsMap: { BackupVaultName: security.backupVaultName },
        statistic: 'Sum',
        period: Duration.hours(1),
      });
    this.alarm('BackupFailures', {
      alarmName: names.backupFailures,
      alarmDescription: `A backup, copy or restore job of vault ${security.backupVaultName} failed: the table may not be recoverable to the expected point`,
      metric: new cloudwatch.MathExpression({
        label: 'failed backup, copy and restore jobs',
        expression: 'FILL(backups, 0) + FILL(copies, 0) + FILL(restores, 0)',
        usingMetrics: {
          backups: backupMetric('NumberOfBackupJobsFailed'),
          copies: backupMetric('NumberOfCopyJobsFailed'),
          restores: backupMetric('NumberOfRestoreJobsFailed'),
        },
        period: Duration.hours(1),
      }),
      ...above(1),
    });
    const auditWriteFailures = new cloudwatch.Metric({
      namespace: CONTINUUM_NAMESPACE,
      metricName: 'AuditWriteFailures',
      dimensionsMap: { Practice: this.tenantId },
      statistic: 'Sum',
      period: PERIOD,
    });
    this.alarm('AuditWriteFailures', {
      alarmName: names.auditWriteFailures,
      alarmDescription:
        'An audit record could not be written: the request that read PHI failed closed (500); find it by requestId in the function log',
      metric: auditWriteFailures,
      ...above(1),
    });
    const securityChanges = SECURITY_CHANGE_PATTERNS.map((pattern, index) =>
      countFrom(`SecurityChangesFilter${index}`, security.trailLogGroup, 'SecurityChanges', pattern),
    )[0] as cloudwatch.Metric;
    this.alarm('SecurityChanges', {
      alarmName: names.securityChanges,
      alarmDescription:
        'An IAM policy, a KMS key (disable, deletion, policy) or the trail changed in this account: expected during a deploy, otherwise find who in CloudTrail',
      metric: securityChanges,
      ...above(1),
    });
    return [
      new cloudwatch.GraphWidget({
        title: 'Security: auth failures, throttled, WAF blocks',
        left: [authFailures, throttled, wafBlocks],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Security: audit-write failures, key/IAM/trail changes',
        left: [auditWriteFailures, securityChanges],
        width: 12,
      }),
    ];
  }

  /**
   * The mirror's four alarms (docs/deploy.md#the-fhir-mirror says what to do for each) and its dashboard row.
   * Item failures the handler reports are retried by Lambda and are not errors: an error is a crash or a
   * timeout, and a batch that still fails after its retries shows up as a failed-batches message.
   */
  private watchMirror(mirror: MirrorWatch): cloudwatch.IWidget[] {
    const names = mirrorAlarmNames(this.tenantId);
    const minute = Duration.minutes(1);
    const metric = (metricName: string, statistic: string, period = PERIOD) =>
      new cloudwatch.Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap: { FunctionName: mirror.functionName },
        statistic,
        period,
      });
    const iteratorAge = metric('IteratorAge', 'Maximum', minute);
    const depth = (queue: sqs.IQueue) =>
      queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' });
    this.alarm('MirrorIteratorAge', {
      alarmName: names.iteratorAge,
      alarmDescription: `The FHIR mirror is more than ${MIRROR_MAX_ITERATOR_AGE_SECONDS} s behind the table (HealthLake throttling or errors, or a stuck batch)`,
      metric: iteratorAge,
      threshold: MIRROR_MAX_ITERATOR_AGE_SECONDS * 1000,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.alarm('MirrorErrors', {
      alarmName: names.errors,
      alarmDescription: 'The FHIR mirror crashed or timed out (its batch is retried, then halved)',
      metric: metric('Errors', 'Sum'),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    this.alarm('MirrorFailedBatches', {
      alarmName: names.failedBatches,
      alarmDescription:
        'The FHIR mirror gave up on a stream batch (retries or record age exhausted): those records were not mirrored',
      metric: depth(mirror.failedBatches),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    this.alarm('FhirRejected', {
      alarmName: names.rejected,
      alarmDescription:
        'The FHIR store rejected a resource (4xx): it is not shared until the mapping is fixed',
      metric: depth(mirror.rejected),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });
    return [
      new cloudwatch.GraphWidget({
        title: 'FHIR mirror lag (iterator age, ms)',
        left: [iteratorAge.with({ label: 'iterator age (max)' })],
        leftAnnotations: [{ value: MIRROR_MAX_ITERATOR_AGE_SECONDS * 1000, label: 'alarm' }],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'FHIR mirror invocations, errors, throttles',
        left: [metric('Invocations', 'Sum'), metric('Errors', 'Sum'), metric('Throttles', 'Sum')],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'FHIR mirror duration (p50, p99)',
        left: [metric('Duration', 'p50'), metric('Duration', 'p99')],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'FHIR mirror failed batches and rejected resources',
        left: [
          depth(mirror.failedBatches).with({ label: 'failed batches' }),
          depth(mirror.rejected).with({ label: 'rejected resources' }),
        ],
        width: 6,
      }),
      // What each batch did, from the handler's embedded metrics (shared/metrics.ts, decision 32).
      new cloudwatch.GraphWidget({
        title:
          'FHIR mirror: records read, resources written, deleted, unchanged, dead-lettered, items retried',
        left: MIRROR_METRICS.map(
          (metricName) =>
            new cloudwatch.Metric({
              namespace: CONTINUUM_NAMESPACE,
              metricName,
              dimensionsMap: { Practice: this.tenantId },
              statistic: 'Sum',
              period: PERIOD,
              label: metricName.replace(/^Mirror/, ''),
            }),
        ),
        width: 24,
      }),
    ];
  }
}
