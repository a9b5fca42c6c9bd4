// A CloudWatch log group the way every log group here must be: KMS-encrypted, with a retention, and retained
// on stack deletion (logs are part of the audit trail).
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/logs/encrypt-log-data-kms.html
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface EncryptedLogGroupProps {
  encryptionKey: kms.IKey;
  /** One of the values CloudWatch Logs accepts (the tenant schema checks it). */
  retentionDays: number;
  /** Omit to let CloudFormation name it (safe to recreate after a destroy, since the old one is retained). */
  logGroupName?: string;
}

export class EncryptedLogGroup extends Construct {
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Resource', {
      ...(props.logGroupName ? { logGroupName: props.logGroupName } : {}),
      encryptionKey: props.encryptionKey,
      retention: props.retentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
