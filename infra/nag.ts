// cdk-nag 3: the AWS Solutions, HIPAA Security and Serverless packs run at every synth and fail it on any
// finding that is not acknowledged here. Every acknowledgement lives in this file, on the narrowest construct
// that raises it, with the reason a security reviewer can check.
// https://github.com/cdklabs/cdk-nag/blob/main/MIGRATION.md
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, ServerlessChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import type { TenantStacks } from './tenant.ts';
import type { Tenant } from './tenant-config.ts';

export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new HIPAASecurityChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
}

/** One acknowledgement, with the id exactly as cdk-nag prints it ("Acknowledge with '<id>'"). */
function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

export function acknowledgeFindings({ stateful, stateless }: TenantStacks, tenant: Tenant): void {
  // --- Stateful stack --------------------------------------------------------------------------------------
  acknowledge(
    stateful.backupSelection,
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    'AWS Backup assumes this role to snapshot the table; AWSBackupServiceRolePolicyForBackup is the service role policy AWS documents and maintains for it as backup features change.',
  );
  for (const id of [
    'AwsSolutions::AwsSolutions-SMG4',
    'HIPAA.Security::HIPAA.Security-SecretsManagerRotationEnabled',
  ]) {
    acknowledge(
      stateful.resources.cursorSecret,
      id,
      'CURSOR_SECRET only seals pagination cursors (no PHI, no credential to any system); it is read at deploy time, so rotation is a manual put-secret-value plus a stateless redeploy (docs/deploy.md), which only invalidates cursors in flight.',
    );
  }
  const { exportBucket, exportAccessLogs } = stateful;
  acknowledge(
    exportBucket,
    'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
    'Bulk exports are copies of data HealthLake already keeps (and can export again); replicating them to a second region would add one more store of PHI to secure and expire, not recoverability. Versioning and retention protect them in place.',
  );
  acknowledge(
    exportAccessLogs,
    'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
    "The export bucket's server access logs are kept versioned and retained for the audit-log retention period in place; a replica in a second region would add a copy to secure without a recovery need (the region's S3 durability covers loss).",
  );
  acknowledge(
    exportAccessLogs,
    'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS',
    'S3 delivers server access logs only to buckets encrypted with SSE-S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html); the logs name objects and requesters, not their content, and the bucket is private, TLS-only and versioned.',
  );
  // HealthLake's export role, beside the bucket it writes to.
  const exportObjects = flattenCfnReference(stateful.resolve(exportBucket.arnForObjects('exports/*')));
  acknowledge(
    stateful.fhirExportRole,
    `AwsSolutions::AwsSolutions-IAM5[Resource::${exportObjects}]`,
    "HealthLake names the export files itself (under exports/<job>/): PutObject is limited to the exports/ prefix of the tenant's own export bucket, and only HealthLake, for this datastore, can assume the role.",
  );
  acknowledge(
    stateful.fhirExportRole,
    'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
    "The export role's inline policy is its least privilege (check the export bucket, put under exports/, the data key); a managed policy attached to exactly one role would add a resource without adding control.",
  );
  if (tenant.settings.cognito.featurePlan !== 'plus') {
    acknowledge(
      stateful.resources.userPool,
      'AwsSolutions::AwsSolutions-COG8',
      `Tenant ${tenant.id} chose the Essentials feature plan in tenants/${tenant.id}.json (cognito.featurePlan); threat protection needs Plus. MFA (TOTP) stays required for every user.`,
    );
  }

  // --- Stateless stack: functions --------------------------------------------------------------------------
  // The finding names the resource the way cdk-nag flattens it (partition as a literal or as
  // <AWS::Partition>, depending on feature flags), so the id is computed with cdk-nag's own function.
  const tableIndexes = flattenCfnReference(stateless.resolve(`${stateless.tableArn}/index/*`));
  const indexReason =
    "Queries on the table's own global secondary indexes (gsi1, gsi2 from shared/table.ts); index ARNs are children of this one table's ARN.";
  const mirror = stateless.exchange.mirror;
  for (const fn of [...stateless.functions, mirror]) {
    acknowledge(
      fn,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
    );
    acknowledge(
      fn,
      'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
      fn === mirror
        ? 'The mirror has its own role whose inline policy is its least privilege (its stream, item reads, the one HealthLake datastore, its two queues); a managed policy attached to exactly one role would add a resource without adding control.'
        : "Each function has its own role whose inline policy is that route's least privilege (built from its tableAccess and fhirAccess); a managed policy attached to exactly one role would add a resource without adding control.",
    );
    acknowledge(
      fn,
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'The functions reach only AWS APIs (DynamoDB, KMS, HealthLake, SQS, X-Ray) over TLS with IAM authorization and hold no network listener; a VPC would add NAT or endpoint cost and cold-start latency without a private resource to protect.',
    );
  }
  acknowledge(mirror, `AwsSolutions::AwsSolutions-IAM5[Resource::${tableIndexes}]`, indexReason);
  for (const routeFunction of stateless.functions) {
    if (routeFunction.route.tableAccess === 'none') continue;
    acknowledge(routeFunction, `AwsSolutions::AwsSolutions-IAM5[Resource::${tableIndexes}]`, indexReason);
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      acknowledge(
        routeFunction,
        `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
        'DynamoDB needs the caller to hold these KMS action families on the customer managed table key; the statement names that one key and is limited to calls made through DynamoDB (kms:ViaService).',
      );
    }
  }

  // --- Stateless stack: API --------------------------------------------------------------------------------
  const api = stateless.api;
  for (const routeFunction of stateless.functions) {
    if (routeFunction.route.auth !== 'public') continue;
    const method = api.methods.get(routeFunction.route.operationId);
    if (!method) continue;
    const reason = `${routeFunction.route.method} ${routeFunction.route.path} is public by design (route table auth: 'public'): health, the OpenAPI document and the docs page carry no PHI, and WAF and stage throttling still apply.`;
    acknowledge(method, 'AwsSolutions::AwsSolutions-APIG4', reason);
    acknowledge(method, 'AwsSolutions::AwsSolutions-COG4', reason);
  }
  acknowledge(
    api.api,
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    'The account-level role API Gateway assumes to write execution and access logs; AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy for exactly that and API Gateway accepts no narrower scope (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).',
  );
  acknowledge(
    api.stage,
    'HIPAA.Security::HIPAA.Security-APIGWCacheEnabledAndEncrypted',
    'No API cache on purpose: responses are per-user PHI whose access must be authorized and audited by the function on every request; a cache would serve them without either.',
  );

  // --- Stateless stack: queues -----------------------------------------------------------------------------
  acknowledge(
    stateless.monitoring.undeliveredAlarms,
    'AwsSolutions::AwsSolutions-SQS3',
    "This queue is itself a dead-letter queue: the alarm e-mail subscription's redrive target (cdk-nag only recognises SQS-to-SQS redrive).",
  );
  acknowledge(
    stateless.deadLetterQueue,
    'AwsSolutions::AwsSolutions-SQS3',
    "This queue is itself a dead-letter queue: every route function's DeadLetterConfig target (the functions sit in nested stacks, where cdk-nag cannot see the link).",
  );
  acknowledge(
    stateless.mirrorFailedBatches,
    'AwsSolutions::AwsSolutions-SQS3',
    "This queue is itself a dead-letter queue: the FHIR mirror's stream event source sends the batches it gave up on here (its on-failure destination, which cdk-nag does not recognise).",
  );
  acknowledge(
    stateless.fhirRejected,
    'AwsSolutions::AwsSolutions-SQS3',
    'This queue is itself a dead-letter queue: the exchange sends every resource the FHIR store rejected here, with its reason (DEAD_LETTER_QUEUE_URL).',
  );
  for (const queue of [
    stateless.deadLetterQueue,
    stateless.monitoring.undeliveredAlarms,
    stateless.mirrorFailedBatches,
    stateless.fhirRejected,
  ]) {
    acknowledge(
      queue,
      'Serverless::Serverless-SQSRedrivePolicy',
      'A terminal dead-letter queue: nothing consumes it automatically, an alarm fires on its first message and an operator inspects it; a redrive target for it would only move the same messages again.',
    );
  }
}
