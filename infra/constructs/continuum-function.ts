// Every Lambda function of a tenant, with the defaults applied in one place: Node 24 on arm64, a minified ESM
// bundle (AWS SDK inside) built by the local esbuild, an encrypted log group with retention, its own role that
// may write only to that group, X-Ray, reserved concurrency, a dead-letter queue and an environment encrypted
// with the data key. RouteFunction (one per route) and the FHIR mirror build on it and add their own grants.
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

export interface ContinuumFunctionProps {
  /** The physical name: continuum-<tenant>-<what>, at most 64 characters. */
  functionName: string;
  /** Shown in the Lambda console (cut to 256 characters). */
  description: string;
  /** Shown in IAM: whose role this is. */
  roleDescription: string;
  /** Repository-relative path of the handler module (exports `handler`). */
  handler: string;
  /** Repository root; `handler` is relative to it. */
  root: string;
  /** Encrypts the function's environment (it holds CURSOR_SECRET) and its dead-letter queue. */
  dataKey: kms.IKey;
  logKey: kms.IKey;
  logRetentionDays: number;
  environment: Record<string, string>;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  deadLetterQueue: sqs.IQueue;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency: number;
}

/** The props a construct of one fixed-purpose function (the mirror, the sign-out) takes: it names and sizes it. */
export type PurposeFunctionProps = Omit<
  ContinuumFunctionProps,
  | 'functionName'
  | 'description'
  | 'roleDescription'
  | 'handler'
  | 'memoryMb'
  | 'timeoutSeconds'
  | 'reservedConcurrency'
>;

export class ContinuumFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.ILogGroup;

  constructor(scope: Construct, id: string, props: ContinuumFunctionProps) {
    super(scope, id);

    this.logGroup = new EncryptedLogGroup(this, 'Logs', {
      encryptionKey: props.logKey,
      retentionDays: props.logRetentionDays,
    }).logGroup;

    // An explicit role instead of the default one, which carries the AWS managed AWSLambdaBasicExecutionRole
    // (logs:* on every log group): this one may write to its own log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    this.logGroup.grantWrite(this.role);

    const runtimeFiles = RUNTIME_FILES[props.handler];
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      functionName: props.functionName,
      description: props.description.slice(0, 256),
      entry: join(props.root, props.handler),
      handler: 'handler',
      projectRoot: props.root,
      depsLockFilePath: join(props.root, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb,
      timeout: Duration.seconds(props.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrency,
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      // Lambda's own filter matches the logger's level, so records below it are dropped before CloudWatch.
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.INFO,
      // Only asynchronous invocations that exhausted their retries land here (API Gateway and the stream
      // mapping invoke synchronously); encrypted with the data key because such events carry PHI.
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

    // Lambda sends failed asynchronous events to the encrypted queue with this role, through SQS only. The
    // same statement lets the function send to the other queues encrypted with the data key that it is
    // granted sqs:SendMessage on (the exchange's rejected resources).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'EncryptDeadLetters',
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `sqs.${Stack.of(this).region}.amazonaws.com` } },
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
