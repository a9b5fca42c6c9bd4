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
  for (const routeFunction of stateless.functions) {
    acknowledge(
      routeFunction,
      'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource *: X-Ray has no resource-level permissions (https://docs.aws.amazon.com/xray/latest/devguide/security_iam_service-with-iam.html).',
    );
    acknowledge(
      routeFunction,
      'HIPAA.Security::HIPAA.Security-IAMNoInlinePolicy',
      "Each function has its own role whose inline policy is that route's least privilege (built from its tableAccess); a managed policy attached to exactly one role would add a resource without adding control.",
    );
    acknowledge(
      routeFunction,
      'HIPAA.Security::HIPAA.Security-LambdaInsideVPC',
      'The functions reach only AWS APIs (DynamoDB, KMS, HealthLake, X-Ray) over TLS with IAM authorization and hold no network listener; a VPC would add NAT or endpoint cost and cold-start latency without a private resource to protect.',
    );
    if (routeFunction.route.tableAccess === 'none') continue;
    acknowledge(
      routeFunction,
      `AwsSolutions::AwsSolutions-IAM5[Resource::${tableIndexes}]`,
      "Queries on the table's own global secondary indexes (gsi1, gsi2 from shared/table.ts); index ARNs are children of this one table's ARN.",
    );
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
  for (const queue of [stateless.deadLetterQueue, stateless.monitoring.undeliveredAlarms]) {
    acknowledge(
      queue,
      'Serverless::Serverless-SQSRedrivePolicy',
      'A terminal dead-letter queue: nothing consumes it automatically, an alarm fires on its first message and an operator inspects it; a redrive target for it would only move the same messages again.',
    );
  }
}
