// Alarms on the two acts that would make the tenant's data unreadable: disabling a customer managed key or
// scheduling its deletion. An EventBridge rule on the CloudTrail management events KMS records for those calls
// (delivered to EventBridge without a trail) sends them to the alarm topic at once.
// https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-creating-cloudwatch-alarm.html
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The KMS calls that alarm, on any of the tenant's keys. */
export const KEY_ALARM_EVENTS = ['ScheduleKeyDeletion', 'DisableKey'];

export interface KeyAlarmsProps {
  tenantId: string;
  keys: kms.IKey[];
  topic: sns.ITopic;
  /** Where EventBridge puts an alarm it could not publish (the monitoring's undelivered-alarms queue). */
  deadLetterQueue: sqs.IQueue;
}

export class KeyAlarms extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: KeyAlarmsProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      ruleName: `continuum-${props.tenantId}-key-disabled-or-deleted`,
      description: `A customer managed key of continuum-${props.tenantId} was disabled or scheduled for deletion`,
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: KEY_ALARM_EVENTS,
          resources: { ARN: props.keys.map((k) => k.keyArn) },
        },
      },
    });
    this.rule.addTarget(
      new targets.SnsTopic(props.topic, {
        deadLetterQueue: props.deadLetterQueue,
        message: events.RuleTargetInput.fromText(
          `continuum-${props.tenantId}: ${events.EventField.fromPath('$.detail.eventName')} on key ${events.EventField.fromPath('$.detail.requestParameters.keyId')} by ${events.EventField.fromPath('$.detail.userIdentity.arn')}. Cancel a deletion with aws kms cancel-key-deletion; re-enable with aws kms enable-key (docs/deploy.md#for-your-hipaa-auditor).`,
        ),
      }),
    );
  }
}
