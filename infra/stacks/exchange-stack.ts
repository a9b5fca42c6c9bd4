// The EHR exchange's stream consumer, as a nested stack of the stateless stack: the FHIR mirror function, its
// role and log group, and the event source mapping on the table's stream; and the referral exchange's scheduled
// function. Its queues (failed batches, rejected
// resources) live in the parent, beside the alarms that watch them and the routes that share them.
import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { ExchangeRefs } from '../constructs/fhir-access.ts';
import { FhirMirror } from '../constructs/fhir-mirror.ts';
import { ReferralExchangeFunction } from '../constructs/referral-exchange.ts';
import type { TableRef } from '../constructs/route-function.ts';
import type { TenantSettings } from '../tenant-config.ts';

export interface ExchangeStackProps extends NestedStackProps {
  tenantId: string;
  settings: TenantSettings;
  root: string;
  streamTable: dynamodb.ITableV2;
  table: TableRef;
  itemTypes: readonly string[];
  dataKey: kms.IKey;
  logKey: kms.IKey;
  environment: Record<string, string>;
  deadLetterQueue: sqs.IQueue;
  exchange: ExchangeRefs;
  failedBatches: sqs.IQueue;
}

export class ExchangeStack extends NestedStack {
  readonly mirror: FhirMirror;
  readonly referralExchange: ReferralExchangeFunction;

  constructor(scope: Construct, id: string, props: ExchangeStackProps) {
    super(scope, id, props);
    const { settings } = props;
    this.mirror = new FhirMirror(this, 'Mirror', {
      tenantId: props.tenantId,
      settings: settings.mirror,
      root: props.root,
      streamTable: props.streamTable,
      table: props.table,
      itemTypes: props.itemTypes,
      dataKey: props.dataKey,
      logKey: props.logKey,
      logRetentionDays: settings.logRetentionDays,
      environment: props.environment,
      logLevel: settings.logLevel,
      deadLetterQueue: props.deadLetterQueue,
      exchange: props.exchange,
      failedBatches: props.failedBatches,
    });
    this.referralExchange = new ReferralExchangeFunction(this, 'ReferralExchange', {
      tenantId: props.tenantId,
      root: props.root,
      table: props.table,
      dataKey: props.dataKey,
      logKey: props.logKey,
      logRetentionDays: settings.logRetentionDays,
      environment: props.environment,
      logLevel: settings.logLevel,
      deadLetterQueue: props.deadLetterQueue,
      exchange: props.exchange,
    });
  }
}
