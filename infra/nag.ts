// cdk-nag 3: the AWS Solutions, HIPAA Security and Serverless packs run at every synth and fail it on any
// finding that is not acknowledged here. Every acknowledgement lives in this file, on the narrowest construct
// that raises it, with the reason a security reviewer can check.
// https://github.com/cdklabs/cdk-nag/blob/main/MIGRATION.md
import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, ServerlessChecks } from 'cdk-nag';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';
import type { IConstruct } from 'constructs';
import { archiveObjectsArn } from './constructs/audit-archiver.ts';
import type { Tenant } from './tenant-config.ts';
import type { TenantStacks } from './tenant-stacks.ts';

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
      'The cursor secret seals pagination cursors, which hold index keys derived from PHI (a normalised family name), so it guards PHI-derived data; it opens nothing else. It is rotated by an operator with put-secret-value (docs/deploy.md#rotating-the-cursor-secret), with no deploy: functions read AWSCURRENT and AWSPREVIOUS at run time (5-minute cache) and open cursors of either, so no scheduled rotation Lambda is deployed yet (a follow-up); the value is in no function environment.',
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
    "The server access logs of the export bucket and the trail archive are versioned, and current and old versions are kept for the audit-log retention period in place (lifecycle); a replica in a second region would add a copy to secure, and is not set up: the region's S3 durability is the protection against loss.",
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
      'No VPC: the functions call only AWS APIs over TLS with IAM authorization and hold no network listener, but outside a VPC nothing at the network level stops code that reads PHI from sending it elsewhere. The controls are code review, least-privilege roles that hold no credential to anything outside the tenant, and no PHI in logs or traces. Closing egress needs a VPC with interface endpoints for DynamoDB, KMS, SQS, HealthLake, Secrets Manager, X-Ray and Cognito (about $7 per endpoint per AZ per month) and is not done.',
    );
  }
  acknowledge(mirror, `AwsSolutions::AwsSolutions-IAM5[Resource::${tableIndexes}]`, indexReason);
  for (const routeFunction of stateless.functions) {
    // `describe` holds DescribeTable on the table's own ARN only: no index wildcard, no key.
    if (routeFunction.route.tableAccess === 'none' || routeFunction.route.tableAccess === 'describe')
      continue;
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
    const reason = `${routeFunction.route.method} ${routeFunction.route.path} is public by design (route table auth: 'public'): /health answers ok or degraded only (component URLs and ids are at the admin-only GET /v1/health) and its role may only DescribeTable, the OpenAPI document and the docs page are static; none carries PHI, and WAF and stage throttling still apply.`;
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

  acknowledgeEdgeFindings({ stateful, stateless });

  // --- Issue 19 (aws-data): the audit archive and its archiver ---------------------------------------------
  acknowledge(
    stateful.auditArchiveBucket,
    'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
    'The archive is a second copy already: every audit record stays in the table too (PITR 35 days, AWS Backup in a Vault-Locked vault with an optional cross-account copy). Object Lock in compliance mode keeps each version unchangeable for 6 years in place; a replica would need its own locked bucket and key in a second region for no recovery need the table and backups do not cover.',
  );
  const archiver = stateless.auditArchiver;
  const archivePrefix = flattenCfnReference(
    stateless.resolve(archiveObjectsArn(stateless, stateful.resources.auditArchiveBucketName)),
  );
  acknowledge(
    archiver,
    `AwsSolutions::AwsSolutions-IAM5[Resource::${archivePrefix}]`,
    'The archiver names each object after its stream batch (audit/<day>/<first>-<last>.ndjson): PutObject only, under audit/ of the one archive bucket, where Object Lock keeps every version for 6 years, so it can add objects but change none.',
  );
  acknowledge(
    archiver,
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
  );
  acknowledge(
    archiver,
    'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
    "The archiver has its own role whose inline policy is its least privilege (the table's stream, PutObject under audit/ of the archive bucket, the data key through S3 and SQS, its failed-batches queue); a managed policy attached to exactly one role would add a resource without adding control.",
  );
  acknowledge(
    archiver,
    'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
    'The archiver reaches only AWS APIs (the DynamoDB stream, S3, KMS, SQS, X-Ray) over TLS with IAM authorization and holds no network listener; it has no internet-facing input (its only input is the table stream). A VPC would add NAT or endpoint cost without a private resource to protect.',
  );
  acknowledge(
    archiver.failedBatches,
    'AwsSolutions::AwsSolutions-SQS3',
    "This queue is itself a dead-letter queue: the audit archiver's stream event source sends the batches it gave up on here (its on-failure destination, which cdk-nag does not recognise).",
  );
  acknowledge(
    archiver.failedBatches,
    'Serverless::Serverless-SQSRedrivePolicy',
    'A terminal dead-letter queue: nothing consumes it automatically, an alarm fires on its first message and an operator replays the batch from the table; a redrive target would only move the same messages again.',
  );

  // --- Issue 11 (billing): the EDI bucket, its ingest function and the timely-filing check -----------------
  acknowledge(
    stateful.ediBucket,
    'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
    'EDI files are copies: each 837 can be rebuilt from its batch (the batch keeps its file in the table) and each 835/999/277CA is posted into the table (PITR, AWS Backup) and kept by the clearinghouse. Versioning keeps every overwritten file in place; a replica would add a second store of PHI to secure for no recovery the table does not give.',
  );
  const edi = stateless.billingEdi;
  for (const fn of [edi.ingest, edi.timelyFiling]) {
    acknowledge(
      fn,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
    );
    acknowledge(fn, `AwsSolutions::AwsSolutions-IAM5[Resource::${tableIndexes}]`, indexReason);
    for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
      acknowledge(
        fn,
        `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
        'DynamoDB needs the caller to hold these KMS action families on the customer managed table key; the statement names that one key and is limited to calls made through DynamoDB (kms:ViaService).',
      );
    }
    acknowledge(
      fn,
      'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
      "Each of billing's EDI functions has its own role whose inline policy is its least privilege (item reads and writes, and for the ingest function GetObject under inbound/ and PutObject under refused/ of the one EDI bucket); a managed policy attached to exactly one role would add a resource without adding control.",
    );
    acknowledge(
      fn,
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'No VPC: like the route functions, these call only AWS APIs (DynamoDB, S3, KMS, SQS, X-Ray) over TLS with IAM authorization and hold no listener; their inputs are EventBridge events. Egress control needs the VPC endpoints the route functions would need too (see their acknowledgement).',
    );
  }
  const ediBucketArn = `arn:${stateless.partition}:s3:::${stateful.resources.ediBucketName}`;
  for (const prefix of ['inbound', 'refused']) {
    acknowledge(
      edi.ingest,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${flattenCfnReference(stateless.resolve(`${ediBucketArn}/${prefix}/*`))}]`,
      prefix === 'inbound'
        ? 'The clearinghouse names the files it drops: GetObject only, under inbound/ of the one EDI bucket.'
        : 'A refused file’s reasons are written beside its name under refused/: PutObject only, under that prefix of the one EDI bucket.',
    );
  }
  acknowledge(
    edi.failedEvents,
    'AwsSolutions::AwsSolutions-SQS3',
    "This queue is itself a dead-letter queue: the ingest function's on-failure destination and the EventBridge rules' dead-letter target (cdk-nag only recognises SQS-to-SQS redrive).",
  );
  acknowledge(
    edi.failedEvents,
    'Serverless::Serverless-SQSRedrivePolicy',
    'A terminal dead-letter queue: an alarm fires on its first message and an operator drops the named file in inbound/ again once the cause is fixed; a redrive target would only move the same events again.',
  );
  for (const routeFunction of stateless.functions) {
    if (!routeFunction.route.ediOutbound) continue;
    acknowledge(
      routeFunction,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${flattenCfnReference(stateless.resolve(`${ediBucketArn}/outbound/*`))}]`,
      'Each batch is a new file named after its interchange control number: PutObject only, under outbound/ of the one EDI bucket.',
    );
  }

  // --- Issue 19 (aws-data): backups ----------------------------------------------------------------------
  acknowledge(
    stateful.restoreTestingRole,
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores]',
    "AWS Backup assumes this role (only for this account) to restore the table's recovery points into scratch tables for the weekly restore test; AWSBackupServiceRolePolicyForRestores is the service role policy AWS documents and maintains for restores as resource types change.",
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

/**
 * Edge, sessions and evidence (issue 19 items 4-6, 9-11; issue 18 finding 4): the CloudTrail archive, the stage
 * without tracing, the global sign-out function and its rule.
 */
function acknowledgeEdgeFindings({ stateful, stateless }: TenantStacks): void {
  const trail = stateful.auditTrail;
  acknowledge(
    trail.bucket,
    'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
    'The CloudTrail archive is protected in place by Object Lock (COMPLIANCE by default: no version can be deleted or overwritten before the audit period ends, not even by root), versioning and log file validation; a replica in a second region is not set up (a follow-up for tenants that want regional redundancy of evidence).',
  );
  acknowledge(
    trail.trail,
    'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
    "The role CloudTrail assumes to deliver to its log group: CDK's inline policy allows logs:CreateLogStream and logs:PutLogEvents on that one group, nothing else; a managed policy attached to one role would add a resource without adding control.",
  );
  for (const id of [
    'HIPAA.Security::HIPAA.Security-APIGWXrayEnabled',
    'Serverless::Serverless-APIGWXrayEnabled',
  ]) {
    acknowledge(
      stateless.api.stage,
      id,
      "Stage tracing is off on purpose: X-Ray's API Gateway segments record the full request URL with its query string (patient ids, name and birth-date searches), which the access logs already keep out. Every function is traced by Lambda (active tracing) and Powertools Tracer, without request data, in traces encrypted with the ops key.",
    );
  }
  // X-Ray's encryption setting: AwsCustomResource's one provider function per stack (CDK names it by this fixed
  // id) runs only while CloudFormation deploys, to call xray:PutEncryptionConfig.
  const provider = stateless.node.tryFindChild('AWS679f53fac002430cb0da5b7982bd2287');
  const deployTimeOnly =
    'Runs only during a deploy, once, to call xray:PutEncryptionConfig (AwsCustomResource provider): it reads and returns no data, CloudFormation waits for its answer and reports its failure, so a dead-letter queue, reserved concurrency, tracing, a VPC or tuned memory would protect nothing.';
  if (provider) {
    for (const id of [
      'HIPAA.Security::HIPAA.Security-LambdaConcurrency',
      'HIPAA.Security::HIPAA.Security-LambdaDLQ',
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'Serverless::Serverless-LambdaDLQ',
      'Serverless::Serverless-LambdaDefaultMemorySize',
      'Serverless::Serverless-LambdaTracing',
    ]) {
      acknowledge(provider, id, deployTimeOnly);
    }
    acknowledge(
      provider,
      'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "AwsCustomResource's provider role carries the AWS-maintained basic execution policy (write its own logs); CDK builds that role and offers no narrower one for the provider.",
    );
  }
  const tracePolicy = stateless.traceEncryption.resource;
  acknowledge(
    tracePolicy,
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'xray:PutEncryptionConfig is an account-level setting with no resource-level permission (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html); it is the only action in this policy.',
  );
  acknowledge(
    tracePolicy,
    'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
    "AwsCustomResource's inline policy holds the one action it calls (xray:PutEncryptionConfig); a managed policy attached to one role would add a resource without adding control.",
  );

  const signOut = stateless.globalSignOut;
  acknowledge(
    signOut.fn,
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
  );
  acknowledge(
    signOut.fn,
    'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
    "The global sign-out function's own role: its inline policy is its least privilege (cognito-idp:AdminUserGlobalSignOut on the tenant's one user pool, its log group, its dead-letter queue); a managed policy attached to one role would add a resource without adding control.",
  );
  acknowledge(
    signOut.fn,
    'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
    'The global sign-out function reads no PHI and calls only Cognito (AdminUserGlobalSignOut) over TLS with IAM authorization; a VPC would need a Cognito interface endpoint for no private resource.',
  );
  // The referral exchange's scheduled function (infra/constructs/referral-exchange.ts).
  const referralExchange = stateless.exchange.referralExchange;
  acknowledge(
    referralExchange,
    'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
  );
  for (const action of ['kms:ReEncrypt*', 'kms:GenerateDataKey*']) {
    acknowledge(
      referralExchange,
      `AwsSolutions::AwsSolutions-IAM5[Action::${action}]`,
      'DynamoDB needs the caller to hold these KMS action families on the customer managed table key; the statement names that one key and is limited to calls made through DynamoDB (kms:ViaService).',
    );
  }
  acknowledge(
    referralExchange,
    'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
    "The referral exchange's own role: its inline policy is its least privilege (referral items and gsi1 on the one table, ReadResource and UpdateResource on the one HealthLake datastore, its log group, its dead-letter queue); a managed policy attached to one role would add a resource without adding control.",
  );
  acknowledge(
    referralExchange,
    'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
    'No VPC, as for every function of the stack (see the route functions): it calls only DynamoDB, KMS and HealthLake over TLS with IAM authorization and holds no network listener.',
  );
  acknowledge(
    referralExchange.rule,
    'Serverless::Serverless-EventBusDLQ',
    "A scheduled rule: a missed or failed pass is simply redone by the next minute's pass (the referrals stay on the open shelf until the FHIR store has them), so a dead-letter queue would keep only stale ticks. Lambda's asynchronous failures still go to the function's dead-letter queue.",
  );
  acknowledge(
    signOut.rule,
    'Serverless::Serverless-EventBusDLQ',
    "EventBridge hands the event to Lambda as an asynchronous invocation, which Lambda accepts into its own queue; a failed sign-out is retried by Lambda and then kept in the function's dead-letter queue, whose depth alarms. EventBridge itself retries delivery for 24 hours; a second dead-letter queue on the rule would only catch a missing function or permission, which a deploy checks.",
  );
}
