// One Lambda function for one route of the route table, with every default applied in one place: Node 24 on
// arm64, a minified ESM bundle (AWS SDK inside) built by the local esbuild, an encrypted log group with
// retention, X-Ray, reserved concurrency, a dead-letter queue and the least-privilege table grant the route's
// `tableAccess` asks for.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AnyRoute } from '#shared/http/route.ts';
import { EncryptedLogGroup } from './encrypted-log-group.ts';

/** ESM bundles that contain CommonJS dependencies (the AWS SDK) need `require`. */
const REQUIRE_BANNER = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * Static files a handler reads at run time, copied next to its bundle (the function's /var/task). Keyed by
 * handler file; a route table field would be the better home for this (see the report on issue 3).
 */
const RUNTIME_FILES: Record<string, { packageName: string; files: string[]; env: Record<string, string> }> = {
  'functions/system/handlers/docs.ts': {
    packageName: 'swagger-ui-dist',
    files: ['swagger-ui-bundle.js', 'swagger-ui.css'],
    env: { DOCS_ASSETS_DIR: '/var/task' },
  },
};

/** The audit log's partitions (shared/audit.ts auditKeys): the only keys a read route may write. */
export const AUDIT_LEADING_KEYS = 'AUDIT#*';

/**
 * Item reads. Not Scan (no request path scans, docs/data-model.md) and not the stream actions (only the
 * mirror reads the stream). TransactWriteItems and TransactGetItems are authorized per item with these same
 * actions. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
/**
 * What DynamoDB needs of the caller on a table encrypted with a customer managed key (the actions of CDK's
 * own write grant). Read routes need the encrypt side too: they append audit records.
 */
const TABLE_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:ReEncrypt*',
  'kms:GenerateDataKey*',
];

/** The table as the functions see it: a name, an ARN and the key it is encrypted with. */
export interface TableRef {
  name: string;
  arn: string;
  key: kms.IKey;
}

export interface RouteFunctionProps {
  tenantId: string;
  route: AnyRoute;
  /** Repository root; the route's handler path is relative to it. */
  root: string;
  table: TableRef;
  /** Encrypts the function's environment (it holds CURSOR_SECRET) and its dead-letter queue. */
  dataKey: kms.IKey;
  logKey: kms.IKey;
  logRetentionDays: number;
  /** Variables every function gets; the route's own (DOCS_ASSETS_DIR) are added here. */
  environment: Record<string, string>;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  deadLetterQueue: sqs.IQueue;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency: number;
}

/** Lambda names are at most 64 characters; long ones keep a readable prefix and a stable hash. */
export function functionName(tenantId: string, operationId: string): string {
  const name = `continuum-${tenantId}-${operationId}`;
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

export class RouteFunction extends Construct {
  readonly route: AnyRoute;
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);
    const { route } = props;
    this.route = route;
    const name = functionName(props.tenantId, route.operationId);

    this.logGroup = new EncryptedLogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retentionDays: props.logRetentionDays,
    }).logGroup;

    // An explicit role instead of the default one, which carries the AWS managed AWSLambdaBasicExecutionRole
    // (logs:* on every log group): this one may write to its own log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${name}: ${route.method} ${route.path}`,
    });
    this.logGroup.grantWrite(role);

    const runtimeFiles = RUNTIME_FILES[route.handler];
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: name,
      description: `${route.method} ${route.path}: ${route.summary}`.slice(0, 256),
      entry: join(props.root, route.handler),
      handler: 'handler',
      projectRoot: props.root,
      depsLockFilePath: join(props.root, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Lambda's own filter matches the logger's level, so records below it are dropped before CloudWatch.
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      // API Gateway invokes synchronously, so this queue only catches asynchronous invocations (retries
      // exhausted); it is encrypted with the data key because such events carry PHI.
      deadLetterQueue: props.deadLetterQueue,
      environmentEncryption: props.dataKey,
      environment: { ...props.environment, ...(runtimeFiles?.env ?? {}) },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node24',
        platform: 'node',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourceMapMode: nodejs.SourceMapMode.DEFAULT,
        // Maps keep names and lines for --enable-source-maps, without shipping the sources a second time.
        sourcesContent: false,
        // Bundle the AWS SDK too: the version we test with is the version that runs, and it loads faster.
        externalModules: [],
        bundleAwsSDK: true,
        banner: REQUIRE_BANNER,
        forceDockerBundling: false,
        // Quiet synth: esbuild's size table is what `npm run bench` reports (test/bench/synth.ts).
        logLevel: nodejs.LogLevel.WARNING,
        ...(runtimeFiles ? { commandHooks: copyFilesHook(props.root, runtimeFiles) } : {}),
      },
    });

    // Lambda sends failed asynchronous events to the encrypted queue with this role, through SQS only.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    this.grantTableAccess(role, props.table);
  }

  /**
   * `read`: item reads, plus PutItem / BatchWriteItem only on the audit partitions (reading PHI appends its
   * audit record). `write`: item reads and writes. `none`: nothing. Never `dynamodb:*`, never another table.
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  private grantTableAccess(role: iam.IRole, table: TableRef): void {
    const access = this.route.tableAccess;
    if (access === 'none') return;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadItems',
        actions: TABLE_READ_ACTIONS,
        resources: [table.arn, `${table.arn}/index/*`],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: access === 'write' ? 'WriteItems' : 'AppendAuditRecordsOnly',
        // A read route needs BatchWriteItem too: shared/audit.ts batches the records of a search's results.
        actions: access === 'write' ? TABLE_WRITE_ACTIONS : ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        resources: [table.arn],
        ...(access === 'read'
          ? { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [AUDIT_LEADING_KEYS] } } }
          : {}),
      }),
    );
    // The key only through DynamoDB: the function cannot call KMS on the data key directly.
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseTableKeyThroughDynamoDb',
        actions: TABLE_KEY_ACTIONS,
        resources: [table.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
  }
}

/** esbuild hook that copies a package's files beside the bundle (runs locally, never in Docker). */
function copyFilesHook(root: string, spec: { packageName: string; files: string[] }): nodejs.ICommandHooks {
  const packageDir = dirname(
    createRequire(join(root, 'package.json')).resolve(`${spec.packageName}/package.json`),
  );
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir: string, outputDir: string) =>
      spec.files.map((file) => `cp "${join(packageDir, file)}" "${join(outputDir, file)}"`),
  };
}
