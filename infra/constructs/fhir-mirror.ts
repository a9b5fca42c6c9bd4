// The EHR-exchange mirror in AWS: the table's stream → one Lambda function (ContinuumFunction's defaults) →
// batch bundles to the tenant's HealthLake datastore. The event source mapping passes only the item types the
// mirror maps (functions/sharing/registry.ts), reports partial batch failures, halves failing batches, retries
// a bounded number of times for a bounded time, keeps each shard in order, and sends what it gives up on to an
// encrypted SQS queue. https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
import { Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ContinuumFunction, type PurposeFunctionProps } from './continuum-function.ts';
import { type ExchangeRefs, fhirEnvironment, grantFhirAccess } from './fhir-access.ts';
import type { TableRef } from './route-function.ts';

export const MIRROR_HANDLER = 'functions/sharing/handlers/mirror.ts';

/** A fixed name, so alarms and the dashboard find its metrics without cross-stack references. */
export function mirrorFunctionName(tenantId: string): string {
  return `continuum-${tenantId}-fhir-mirror`;
}

/**
 * What the mirror reads from the table: the consents of a batch's patients (BatchGetItem) and, for a backfill or
 * a revocation, the patient's partition and appointments (Query, on gsi2). No writes, no Scan.
 */
export const MIRROR_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/** Lambda's limit on one filter pattern. https://docs.aws.amazon.com/lambda/latest/api/API_Filter.html */
const MAX_PATTERN_LENGTH = 4096;

/**
 * The stream filter: a record passes when its new image or its old image is one of `types` (filters are ORed;
 * a value list matches any of its values). REMOVE records carry only the old image, INSERT only the new one.
 * https://docs.aws.amazon.com/lambda/latest/dg/with-ddb-filtering.html
 */
export function mirrorFilters(types: readonly string[]): { [key: string]: string }[] {
  if (types.length === 0) throw new Error('The mirror needs at least one item type to mirror');
  const filters = (['NewImage', 'OldImage'] as const).map((image) =>
    lambda.FilterCriteria.filter({ dynamodb: { [image]: { type: { S: lambda.FilterRule.or(...types) } } } }),
  );
  for (const filter of filters) {
    if ((filter.pattern ?? '').length > MAX_PATTERN_LENGTH) {
      throw new Error(
        `The mirror's stream filter is longer than Lambda's ${MAX_PATTERN_LENGTH} characters: shorten the item type names or split the list`,
      );
    }
  }
  return filters;
}

/**
 * The on-failure destination without CDK's own grant (SqsDlq grants sqs:GetQueueAttributes, sqs:GetQueueUrl
 * and kms:*Encrypt* families on the key): the mirror gets exactly sqs:SendMessage, below.
 */
class OnFailureQueue implements lambda.IEventSourceDlq {
  private readonly queue: sqs.IQueue;
  constructor(queue: sqs.IQueue) {
    this.queue = queue;
  }
  bind(): lambda.DlqDestinationConfig {
    return { destination: this.queue.queueArn };
  }
}

export interface MirrorSettings {
  batchSize: number;
  maxBatchingWindowSeconds: number;
  retryAttempts: number;
  maxRecordAgeSeconds: number;
  memoryMb: number;
  timeoutSeconds: number;
  reservedConcurrency: number;
}

export interface FhirMirrorProps extends PurposeFunctionProps {
  tenantId: string;
  settings: MirrorSettings;
  /** The table, for its stream (the event source grants stream read on it, and decrypt on its key). */
  streamTable: dynamodb.ITableV2;
  /** The table by name and ARN, for the item reads. */
  table: TableRef;
  /** The item types the mirror maps (mirroredItemTypes() from the registry). */
  itemTypes: readonly string[];
  exchange: ExchangeRefs;
  /** Where Lambda puts batches it gave up on (retries or record age exhausted): the batch's stream position. */
  failedBatches: sqs.IQueue;
}

export class FhirMirror extends ContinuumFunction {
  readonly eventSource: DynamoEventSource;
  readonly settings: MirrorSettings;

  constructor(scope: Construct, id: string, props: FhirMirrorProps) {
    const { settings } = props;
    const name = mirrorFunctionName(props.tenantId);
    super(scope, id, {
      ...props,
      functionName: name,
      description: `Mirrors shareable records from the ${props.table.name} stream to HealthLake as FHIR R4`,
      roleDescription: `${name}: the table's stream to the HealthLake datastore`,
      handler: MIRROR_HANDLER,
      environment: { ...props.environment, ...fhirEnvironment('mirror', props.exchange) },
      memoryMb: settings.memoryMb,
      timeoutSeconds: settings.timeoutSeconds,
      reservedConcurrency: settings.reservedConcurrency,
    });
    this.settings = settings;

    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadItems',
        actions: MIRROR_TABLE_ACTIONS,
        resources: [props.table.arn, `${props.table.arn}/index/*`],
      }),
    );
    // Lambda sends the on-failure record with the function's role (the data key through SQS is allowed by
    // ContinuumFunction's EncryptDeadLetters).
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'SendFailedBatches',
        actions: ['sqs:SendMessage'],
        resources: [props.failedBatches.queueArn],
      }),
    );
    grantFhirAccess(this.role, 'mirror', props.exchange);

    // The stream's records are decrypted with the table's key, by DynamoDB only: the event source would grant
    // kms:Decrypt on the key outright (usable with any service, or directly), so it gets the table without its
    // key and the decrypt grant below carries kms:ViaService.
    const streamArn = props.streamTable.tableStreamArn;
    if (!streamArn) throw new Error('The table has no stream');
    const streamTable = dynamodb.TableV2.fromTableAttributes(this, 'StreamTable', {
      tableArn: props.table.arn,
      tableStreamArn: streamArn,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'DecryptStreamThroughDynamoDb',
        actions: ['kms:Decrypt'],
        resources: [props.table.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    this.eventSource = new DynamoEventSource(streamTable, {
      // Everything still in the stream (24 h) when the mapping is created or re-created: nothing written while
      // it was away is skipped, and replays are harmless (the mirror compares source versions).
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: settings.batchSize,
      maxBatchingWindow: Duration.seconds(settings.maxBatchingWindowSeconds),
      // The handler answers { batchItemFailures }: Lambda retries from the first failed record only.
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      retryAttempts: settings.retryAttempts,
      maxRecordAge: Duration.seconds(settings.maxRecordAgeSeconds),
      // Versions of one item must be applied in order: one batch per shard at a time.
      parallelizationFactor: 1,
      filters: mirrorFilters(props.itemTypes),
      onFailure: new OnFailureQueue(props.failedBatches),
    });
    this.function.addEventSource(this.eventSource);
  }
}
