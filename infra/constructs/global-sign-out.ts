// Group removal → global sign-out (issue 18 finding 4): an EventBridge rule on CloudTrail's
// AdminRemoveUserFromGroup for the tenant's user pool invokes a small function that calls
// AdminUserGlobalSignOut, so the removed user's refresh tokens stop working and no new token carries the old
// group. The trail (audit-trail.ts) is what delivers Cognito's API calls to EventBridge.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event.html

import type * as cognito from 'aws-cdk-lib/aws-cognito';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { ContinuumFunction, type PurposeFunctionProps } from './continuum-function.ts';

export const GLOBAL_SIGN_OUT_HANDLER = 'functions/system/handlers/global-sign-out.ts';

export function globalSignOutFunctionName(tenantId: string): string {
  return `continuum-${tenantId}-global-sign-out`;
}

export interface GlobalSignOutProps extends PurposeFunctionProps {
  tenantId: string;
  userPool: cognito.IUserPool;
}

export class GlobalSignOut extends Construct {
  readonly fn: ContinuumFunction;
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: GlobalSignOutProps) {
    super(scope, id);
    const { tenantId, userPool, ...defaults } = props;
    const name = globalSignOutFunctionName(tenantId);
    this.fn = new ContinuumFunction(this, 'Function', {
      ...defaults,
      functionName: name,
      description: 'Signs a user out everywhere when an admin removes them from a group (CloudTrail event)',
      roleDescription: `${name}: AdminUserGlobalSignOut on the tenant's user pool`,
      handler: GLOBAL_SIGN_OUT_HANDLER,
      environment: { ...props.environment, USER_POOL_ID: userPool.userPoolId },
      memoryMb: 256,
      timeoutSeconds: 10,
      // Admins remove users one at a time; two covers a script removing many.
      reservedConcurrency: 2,
    });
    // Exactly one action on exactly one pool.
    this.fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SignOutUsersOfThisPool',
        actions: ['cognito-idp:AdminUserGlobalSignOut'],
        resources: [userPool.userPoolArn],
      }),
    );
    this.rule = new events.Rule(this, 'OnGroupRemoval', {
      description: `continuum-${tenantId}: a user removed from a group of the user pool is signed out everywhere`,
      eventPattern: {
        source: ['aws.cognito-idp'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['cognito-idp.amazonaws.com'],
          eventName: ['AdminRemoveUserFromGroup'],
          requestParameters: { userPoolId: [userPool.userPoolId] },
        },
      },
      // Asynchronous invocation: Lambda retries a failure twice, then the event lands in the dead-letter queue.
      // EventBridge keeps retrying the hand-over itself for 24 hours (its default).
      targets: [new targets.LambdaFunction(this.fn.function)],
    });
  }
}
