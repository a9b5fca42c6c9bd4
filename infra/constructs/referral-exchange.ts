// The referral exchange in AWS (issue 12): one function, run once a minute by an EventBridge schedule, that tells
// open referrals to the tenant's HealthLake datastore as ServiceRequest + Task and reads back what recipients did to
// the Tasks (functions/referrals/exchange.ts). Least privilege: on the datastore it may only read and put
// resources by id (no search, no delete, no bundles); on the table it reads referrals and commits their changes.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ContinuumFunction, type PurposeFunctionProps } from './continuum-function.ts';
import { type ExchangeRefs, grantFhirAccess } from './fhir-access.ts';
import type { TableRef } from './route-function.ts';

export const REFERRAL_EXCHANGE_HANDLER = 'functions/referrals/handlers/exchange-poller.ts';

export function referralExchangeFunctionName(tenantId: string): string {
  return `continuum-${tenantId}-referral-exchange`;
}

/**
 * The table actions of one pass: the open-referrals Query (gsi1) and the packet and directory reads; each applied
 * change is one TransactWriteItems (IAM checks its Puts, Updates, Deletes and condition checks one by one: the
 * referral, its audit record, the consult note, and the grant revoked with a closed referral); noting what the
 * FHIR store last said is one UpdateItem. No Scan, no batch writes.
 */
export const REFERRAL_EXCHANGE_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

export interface ReferralExchangeProps extends PurposeFunctionProps {
  tenantId: string;
  table: TableRef;
  exchange: ExchangeRefs;
}

export class ReferralExchangeFunction extends ContinuumFunction {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ReferralExchangeProps) {
    const name = referralExchangeFunctionName(props.tenantId);
    super(scope, id, {
      ...props,
      functionName: name,
      description: 'Tells open referrals to HealthLake as Tasks and reads back the recipients’ changes',
      roleDescription: `${name}: open referrals ↔ their Tasks in the HealthLake datastore`,
      handler: REFERRAL_EXCHANGE_HANDLER,
      memoryMb: 512,
      timeoutSeconds: 50,
      // One pass at a time: a pass that overruns the minute must not race the next one on the same Tasks.
      reservedConcurrency: 1,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReferralItems',
        actions: REFERRAL_EXCHANGE_TABLE_ACTIONS,
        resources: [props.table.arn, `${props.table.arn}/index/gsi1`],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'UseTableKeyThroughDynamoDb',
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        resources: [props.table.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    grantFhirAccess(this.role, 'referral-exchange', props.exchange);
    this.rule = new events.Rule(this, 'EveryMinute', {
      description: `continuum-${props.tenantId}: the referral exchange's pass over open referrals`,
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // A failed pass is simply the next minute's work; no retries pile up behind it.
      targets: [new targets.LambdaFunction(this.function, { retryAttempts: 0 })],
    });
  }
}
