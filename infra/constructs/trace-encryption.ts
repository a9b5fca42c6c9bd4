// X-Ray encrypts this account's traces (in this region) with the tenant's ops key. CloudFormation has no
// resource for X-Ray's encryption configuration, so a custom resource calls PutEncryptionConfig at deploy time.
// It is one setting per account and region: with several tenants in one account the last deploy's key wins
// (synth warns about shared accounts), and deleting the stack leaves the setting as it is.
// https://docs.aws.amazon.com/xray/latest/api/API_PutEncryptionConfig.html
import { Stack } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { EncryptedLogGroup } from './encrypted-log-group.ts';

export interface TraceEncryptionProps {
  /** The ops key: traces hold no PHI (shared/tracing.ts), only operation names, timings and statuses. */
  key: kms.IKey;
  logRetentionDays: number;
}

export class TraceEncryption extends Construct {
  readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: TraceEncryptionProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const call: cr.AwsSdkCall = {
      service: 'XRay',
      action: 'PutEncryptionConfig',
      parameters: { Type: 'KMS', KeyId: props.key.keyArn },
      physicalResourceId: cr.PhysicalResourceId.of(`xray-encryption-${stack.account}-${stack.region}`),
    };
    this.resource = new cr.AwsCustomResource(this, 'PutEncryptionConfig', {
      onCreate: call,
      onUpdate: call,
      // X-Ray has no resource-level permissions for this action.
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
      logGroup: new EncryptedLogGroup(this, 'Logs', {
        encryptionKey: props.key,
        retentionDays: props.logRetentionDays,
      }).logGroup,
    });
  }
}
