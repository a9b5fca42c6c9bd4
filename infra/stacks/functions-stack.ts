// The functions of one bounded context (functions/<context>/), as a nested stack of the stateless stack: each
// route's function with its role, log group, API Gateway invoke permission and alarms. Nesting per context keeps
// every template under CloudFormation's 500-resource limit as the route table grows, while the tenant still
// deploys as two stacks. https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
import { ArnFormat, NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AnyRoute } from '#shared/http/route.ts';
import type { ExchangeRefs } from '../constructs/fhir-access.ts';
import { addFunctionAlarms } from '../constructs/monitoring.ts';
import { RouteFunction, type TableRef } from '../constructs/route-function.ts';
import type { TenantSettings } from '../tenant-config.ts';

export interface FunctionsStackProps extends NestedStackProps {
  tenantId: string;
  settings: TenantSettings;
  /** This context's routes. */
  routes: readonly AnyRoute[];
  root: string;
  table: TableRef;
  dataKey: kms.IKey;
  logKey: kms.IKey;
  environment: Record<string, string>;
  deadLetterQueue: sqs.IQueue;
  /** The FHIR store, the rejected-resources queue and the export target, for routes with `fhirAccess`. */
  exchange: ExchangeRefs;
  /** Seals pagination cursors; read at run time by the routes that page. */
  cursorSecret: secretsmanager.ISecret;
  /** Billing's EDI bucket (routes with `ediOutbound` put files under outbound/). */
  ediBucketName?: string;
  alarmTopic: sns.ITopic;
  /** The REST API the functions answer; only its id is needed, for the invoke permissions. */
  restApiId: string;
  stageName: string;
}

/** The bounded context a route belongs to: its handler's folder under functions/. */
export function contextOf(route: AnyRoute): string {
  return /^functions\/([a-z0-9-]+)\//.exec(route.handler)?.[1] ?? 'other';
}

export class FunctionsStack extends NestedStack {
  readonly functions: RouteFunction[] = [];

  constructor(scope: Construct, id: string, props: FunctionsStackProps) {
    super(scope, id, props);
    const { settings } = props;
    for (const route of props.routes) {
      const routeFunction = new RouteFunction(this, `Route-${route.operationId}`, {
        tenantId: props.tenantId,
        route,
        root: props.root,
        table: props.table,
        dataKey: props.dataKey,
        logKey: props.logKey,
        logRetentionDays: settings.logRetentionDays,
        environment: props.environment,
        logLevel: settings.logLevel,
        deadLetterQueue: props.deadLetterQueue,
        exchange: props.exchange,
        cursorSecret: props.cursorSecret,
        ...(props.ediBucketName ? { ediBucketName: props.ediBucketName } : {}),
        memoryMb: settings.functions.memoryMb,
        timeoutSeconds: settings.functions.timeoutSeconds,
        reservedConcurrency: settings.functions.reservedConcurrency,
      });
      // What LambdaIntegration would add, but here, beside the function: only this route's method on the
      // deployed stage may invoke it. https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
      routeFunction.function.addPermission('ApiInvoke', {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: this.formatArn({
          service: 'execute-api',
          resource: props.restApiId,
          resourceName: `${props.stageName}/${route.method}${route.path.replace(/\{[^}]+\}/g, '*')}`,
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      });
      addFunctionAlarms(routeFunction, { tenantId: props.tenantId, topic: props.alarmTopic });
      this.functions.push(routeFunction);
    }
  }
}
