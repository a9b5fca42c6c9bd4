// The DynamoDB-stream consumer that mirrors shareable records into the FHIR store (HealthLake in AWS).
// Contract: Lambda's ReportBatchItemFailures — the records of items that could not be written yet are reported
// and redelivered from the earliest one; everything else in the batch is done.
// https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-batchfailurereporting.html
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { type Key, keyString } from '#shared/dynamodb.ts';
import { logger } from '#shared/logger.ts';
import { counts } from '#shared/metrics.ts';
import { tracing } from '#shared/tracing.ts';
import { theMirror } from '../exchange.ts';
import type { Change, Mirror } from '../mirror.ts';

type Image = Record<string, AttributeValue>;

function toChange(record: DynamoDBRecord): Change {
  const newImage = record.dynamodb?.NewImage as Image | undefined;
  const oldImage = record.dynamodb?.OldImage as Image | undefined;
  return {
    key: keyString(unmarshall((record.dynamodb?.Keys ?? {}) as Image) as Key),
    ...(newImage && record.eventName !== 'REMOVE' ? { newItem: unmarshall(newImage) } : {}),
    ...(oldImage ? { oldItem: unmarshall(oldImage) } : {}),
  };
}

/**
 * Applies one stream batch through `mirror`, counts what it did (embedded metrics, the dashboard's mirror row)
 * and hands back the records Lambda must redeliver.
 */
export async function mirrorBatch(
  mirror: Mirror,
  event: DynamoDBStreamEvent,
): Promise<DynamoDBBatchResponse> {
  const changes = event.Records.map(toChange);
  const report = await mirror.apply(changes);
  const outcome = {
    records: event.Records.length,
    written: report.written,
    deleted: report.deleted,
    unchanged: report.unchanged,
    deadLettered: report.deadLettered,
    retry: report.failedKeys.size,
  };
  counts({
    MirrorRecords: outcome.records,
    MirrorWritten: outcome.written,
    MirrorDeleted: outcome.deleted,
    MirrorUnchanged: outcome.unchanged,
    MirrorDeadLettered: outcome.deadLettered,
    MirrorRetried: outcome.retry,
  });
  logger.info('mirrored', outcome);
  return {
    batchItemFailures: event.Records.flatMap((record, i) =>
      report.failedKeys.has((changes[i] as Change).key)
        ? [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }]
        : [],
    ),
  };
}

export const mirrorStream = (event: DynamoDBStreamEvent) => mirrorBatch(theMirror(), event);

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(tracing())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(mirrorStream);
