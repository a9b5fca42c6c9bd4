// Everything that can be replaced without losing data: one function per route of the route table, the REST
// API, the WAF, the FHIR mirror on the table's stream with its two queues, the alarms and the dashboard.
// Stateful resources come in as props.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, ArnFormat, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { routes as routeTable } from '#functions/routes.ts';
import { mirroredItemTypes } from '#functions/sharing/registry.ts';
import type { AnyRoute } from '#shared/http/route.ts';
import { AuditArchiver } from '../constructs/audit-archiver.ts';
import type { BillingEdi } from '../constructs/billing-edi.ts';
import { ContinuumApi } from '../constructs/continuum-api.ts';
import type { ExchangeRefs } from '../constructs/fhir-access.ts';
import { mirrorFunctionName } from '../constructs/fhir-mirror.ts';
import { GlobalSignOut } from '../constructs/global-sign-out.ts';
import { KeyAlarms } from '../constructs/key-alarms.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { functionName, type RouteFunction } from '../constructs/route-function.ts';
import { TraceEncryption } from '../constructs/trace-encryption.ts';
import { WebAcl } from '../constructs/web-acl.ts';
import {
  REPO_ROOT,
  reservedConcurrencyOf,
  type Tenant,
  TenantConfigError,
  tenantsInAccount,
} from '../tenant-config.ts';
import { BillingEdiStack } from './billing-edi-stack.ts';
import { ExchangeStack } from './exchange-stack.ts';
import { contextOf, FunctionsStack } from './functions-stack.ts';
import type { StatefulResources } from './stateful-stack.ts';

export interface StatelessStackProps extends StackProps {
  tenant: Tenant;
  stateful: StatefulResources;
  /** The route table; defaults to functions/routes.ts (tests pass a longer one). */
  routes?: readonly AnyRoute[];
  /** Repository root the route handler paths are relative to. */
  root?: string;
}

export class StatelessStack extends Stack {
  /** Every route's function, across the context stacks, in route table order. */
  readonly functions: RouteFunction[] = [];
  readonly functionStacks: FunctionsStack[] = [];
  readonly api: ContinuumApi;
  readonly monitoring: Monitoring;
  readonly webAcl: WebAcl;
  readonly deadLetterQueue: sqs.Queue;
  /** The FHIR mirror (nested stack Exchange). */
  readonly exchange: ExchangeStack;
  /** Batches the mirror's event source gave up on (retries or record age exhausted). */
  readonly mirrorFailedBatches: sqs.Queue;
  /** Resources the FHIR store rejected (4xx), with their reason and no PHI: DEAD_LETTER_QUEUE_URL. */
  readonly fhirRejected: sqs.Queue;
  /** The table's ARN, built from its name (no cross-stack export in IAM statements). */
  readonly tableArn: string;
  /** Group removal → global sign-out (issue 18 finding 4). */
  readonly globalSignOut: GlobalSignOut;
  /** X-Ray encrypts traces with the ops key (issue 19 item 4). */
  readonly traceEncryption: TraceEncryption;
  /** Copies audit records from the table's stream to the Object Lock archive. */
  readonly auditArchiver: AuditArchiver;
  readonly billingEdi: BillingEdi;
  readonly billingEdiStack: BillingEdiStack;
  /** Disabling or scheduling deletion of a tenant key goes to the alarm topic. */
  readonly keyAlarms: KeyAlarms;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { id: tenantId, settings } = props.tenant;
    const { stateful } = props;
    const routes = props.routes ?? routeTable;
    const root = props.root ?? REPO_ROOT;
    // Lambda refuses reserved concurrency that leaves less than 100 unreserved in the account: say so at synth,
    // not halfway through a deploy, counting the other tenants of the account and region (tenants/*.json).
    // https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
    const { reservedConcurrency, accountConcurrencyLimit } = settings.functions;
    const mirrorConcurrency = settings.mirror.reservedConcurrency;
    const neighbours = tenantsInAccount(props.tenant, root);
    if (neighbours.length > 0) {
      Annotations.of(this).addWarningV2(
        'continuum:shared-account',
        `Tenant ${tenantId} shares AWS account ${settings.account} with ${neighbours.map((t) => t.id).join(', ')}: account-wide settings (X-Ray's encryption key, API Gateway's logging role) are shared, account administrators see every practice's data, and a second trail pays for management events. Give each practice its own account (docs/deploy.md#adding-a-tenant).`,
      );
    }
    const sameRegion = neighbours.filter((t) => t.settings.region === settings.region);
    const own = reservedConcurrencyOf(settings, routes.length);
    const others = sameRegion.reduce((sum, t) => sum + reservedConcurrencyOf(t.settings, routes.length), 0);
    if (own + others > accountConcurrencyLimit - 100) {
      const with_ =
        sameRegion.length > 0 ? ` together with ${sameRegion.map((t) => t.id).join(', ')} (${others})` : '';
      throw new TenantConfigError(
        `${routes.length} routes × functions.reservedConcurrency ${reservedConcurrency} + mirror.reservedConcurrency ${mirrorConcurrency} + the global sign-out's, the audit archiver's and billing's EDI functions' 7${with_} exceeds the ${accountConcurrencyLimit - 100} the account can reserve: lower them or raise functions.accountConcurrencyLimit (after raising the quota)`,
      );
    }

    // Asynchronous invocations that failed every retry; none are expected (API Gateway invokes
    // synchronously), so any message here is worth an alarm. Encrypted with the data key: an event can carry
    // PHI.
    const deadLetterQueue = new sqs.Queue(this, 'FunctionDlq', {
      queueName: `continuum-${tenantId}-function-dlq`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: stateful.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.deadLetterQueue = deadLetterQueue;
    // The exchange's two queues. Failed batches: Lambda's on-failure record of a stream batch it gave up on
    // (shard and sequence numbers, no item data). Rejected: what HealthLake refused, with status and issue codes.
    // Both are terminal (an operator redrives or inspects them, docs/deploy.md#the-fhir-mirror), kept 14 days.
    const exchangeQueue = (id: string, name: string) =>
      new sqs.Queue(this, id, {
        queueName: `continuum-${tenantId}-${name}`,
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: stateful.dataKey,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
    this.mirrorFailedBatches = exchangeQueue('MirrorFailedBatches', 'mirror-failed-batches');
    this.fhirRejected = exchangeQueue('FhirRejected', 'fhir-rejected');
    const exchange: ExchangeRefs = {
      datastoreId: stateful.fhirDatastoreId,
      datastoreArn: stateful.fhirDatastoreArn,
      rejectedQueue: this.fhirRejected,
      export: {
        bucketName: stateful.exportBucket.bucketName,
        roleArn: stateful.fhirExportRole.roleArn,
        keyArn: stateful.dataKey.keyArn,
      },
    };

    const environment: Record<string, string> = {
      TABLE_NAME: stateful.tableName,
      CORS_ORIGINS: settings.corsOrigins.join(','),
      STAGE: settings.stage,
      POWERTOOLS_SERVICE_NAME: 'continuum',
      // Traces carry no request data: no response, no error message, no outgoing HTTPS URL (shared/tracing.ts).
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
      LOG_LEVEL: settings.logLevel,
      COGNITO_ISSUER: `https://cognito-idp.${this.region}.amazonaws.com/${stateful.userPool.userPoolId}`,
      FHIR_BASE_URL: stateful.fhirBaseUrl,
      // HealthLake only takes SigV4-signed requests; the tenant id marks what this practice mirrors.
      FHIR_AUTH: 'sigv4',
      PRACTICE_ID: tenantId,
      API_VERSION: apiVersion(root),
      NODE_OPTIONS: '--enable-source-maps',
    };

    this.tableArn = this.formatArn({
      service: 'dynamodb',
      resource: 'table',
      resourceName: stateful.tableName,
    });
    const table = { name: stateful.tableName, arn: this.tableArn, key: stateful.dataKey };

    // The alarm topic first: the function stacks send their alarms to it.
    this.monitoring = new Monitoring(this, 'Monitoring', {
      tenantId,
      displayName: settings.displayName,
      alarmEmail: settings.alarmEmail,
      pagingUrl: settings.alarmPagingUrl,
      key: stateful.opsKey,
    });

    this.api = new ContinuumApi(this, 'Api', {
      tenantId,
      settings,
      routes,
      // Function names are fixed (continuum-<tenant>-<operationId>), so the ARN needs no cross-stack output.
      functionArn: (route) =>
        this.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: functionName(tenantId, route.operationId),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      userPool: stateful.userPool,
      accessLogGroup: stateful.accessLogGroup,
      logKey: stateful.opsKey,
    });

    // One nested stack per bounded context (functions/<context>/), in route table order.
    const byContext = Map.groupBy(routes, contextOf);
    for (const [context, contextRoutes] of byContext) {
      const functionsStack = new FunctionsStack(this, `Functions-${context}`, {
        description: `Continuum ${tenantId}: ${context} functions`,
        tenantId,
        settings,
        routes: contextRoutes,
        root,
        table,
        dataKey: stateful.dataKey,
        logKey: stateful.opsKey,
        environment,
        deadLetterQueue,
        exchange,
        cursorSecret: stateful.cursorSecret,
        ediBucketName: stateful.ediBucketName,
        alarmTopic: this.monitoring.topic,
        restApiId: this.api.api.restApiId,
        stageName: settings.stage,
      });
      this.functionStacks.push(functionsStack);
      this.functions.push(...functionsStack.functions);
      // A method may only point at a function that exists.
      for (const route of contextRoutes)
        this.api.methods.get(route.operationId)?.node.addDependency(functionsStack);
    }

    this.exchange = new ExchangeStack(this, 'Exchange', {
      description: `Continuum ${tenantId}: the FHIR mirror (table stream to HealthLake)`,
      tenantId,
      settings,
      root,
      streamTable: stateful.table,
      table,
      // The registry decides what the stream filter passes; never a list kept here.
      itemTypes: mirroredItemTypes(),
      dataKey: stateful.dataKey,
      logKey: stateful.opsKey,
      environment,
      deadLetterQueue,
      exchange,
      failedBatches: this.mirrorFailedBatches,
    });

    this.globalSignOut = new GlobalSignOut(this, 'GlobalSignOut', {
      tenantId,
      userPool: stateful.userPool,
      root,
      dataKey: stateful.dataKey,
      logKey: stateful.opsKey,
      logRetentionDays: settings.logRetentionDays,
      environment,
      logLevel: settings.logLevel,
      deadLetterQueue,
    });

    this.traceEncryption = new TraceEncryption(this, 'TraceEncryption', {
      key: stateful.opsKey,
      logRetentionDays: settings.logRetentionDays,
    });

    this.auditArchiver = new AuditArchiver(this, 'AuditArchiver', {
      tenantId,
      root,
      streamTable: stateful.table,
      archiveBucketName: stateful.auditArchiveBucketName,
      dataKey: stateful.dataKey,
      logKey: stateful.opsKey,
      logRetentionDays: settings.logRetentionDays,
      logLevel: settings.logLevel,
      deadLetterQueue,
      memoryMb: 256,
      timeoutSeconds: 60,
      alarmTopic: this.monitoring.topic,
    });

    this.billingEdiStack = new BillingEdiStack(this, 'BillingEdi', {
      description: `Continuum ${tenantId}: billing's EDI ingest and timely-filing functions`,
      tenantId,
      environment,
      table,
      ediBucketName: stateful.ediBucketName,
      root,
      dataKey: stateful.dataKey,
      logKey: stateful.opsKey,
      logRetentionDays: settings.logRetentionDays,
      logLevel: settings.logLevel,
      deadLetterQueue,
      alarmTopic: this.monitoring.topic,
    });
    this.billingEdi = this.billingEdiStack.edi;

    this.keyAlarms = new KeyAlarms(this, 'KeyAlarms', {
      tenantId,
      keys: [stateful.dataKey, stateful.opsKey, stateful.backupKey],
      topic: this.monitoring.topic,
      deadLetterQueue: this.monitoring.undeliveredAlarms,
    });

    this.webAcl = new WebAcl(this, 'Waf', {
      tenantId,
      stageArn: this.api.stage.stageArn,
      logGroupName: stateful.wafLogGroupName,
      rateLimitPer5Minutes: settings.waf.rateLimitPer5Minutes,
      routes,
    });

    this.monitoring.watch({
      api: this.api.api,
      stageName: settings.stage,
      routes,
      deadLetterQueues: [deadLetterQueue],
      webAclName: `continuum-${tenantId}`,
      mirror: {
        functionName: mirrorFunctionName(tenantId),
        failedBatches: this.mirrorFailedBatches,
        rejected: this.fhirRejected,
      },
      security: {
        accessLogGroup: stateful.accessLogGroup,
        trailLogGroup: stateful.trailLogGroup,
        backupVaultName: `continuum-${tenantId}`,
      },
    });

    new CfnOutput(this, 'ApiUrl', {
      value: settings.apiDomain ? `https://${settings.apiDomain.domainName}/` : this.api.api.url,
      description: 'Base URL of the API',
    });
    if (this.api.domain) {
      new CfnOutput(this, 'ApiDomainTarget', {
        value: this.api.domain.domainNameAliasDomainName,
        description: `Point a DNS CNAME (or Route 53 alias) for ${settings.apiDomain?.domainName} here`,
      });
    }
    new CfnOutput(this, 'DashboardUrl', {
      value: `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=continuum-${tenantId}`,
      description: 'CloudWatch dashboard',
    });
    if (this.api.apiKeys.length > 0) {
      new CfnOutput(this, 'ApiKeyIds', {
        value: this.api.apiKeys.map((k) => k.keyId).join(','),
        description: 'Read a value with: aws apigateway get-api-key --include-value --api-key <id>',
      });
    }
  }
}

/** The API's version for /openapi.json: the package version, read at synth time. */
function apiVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}
