// The table-stream consumer that copies audit records to the Object Lock archive bucket (AUDIT_ARCHIVE_BUCKET).
// A batch is one object, written only if absent (If-None-Match), so a retried batch is not archived twice; any
// failure fails the whole batch, which Lambda retries and finally records in the failed-batches queue.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { archiveObject } from '../archive.ts';

const s3 = new S3Client({});

export async function archiveStream(event: DynamoDBStreamEvent): Promise<void> {
  const bucket = process.env.AUDIT_ARCHIVE_BUCKET;
  if (!bucket) throw new Error('AUDIT_ARCHIVE_BUCKET is not set');
  const object = archiveObject(event.Records);
  if (!object) return;
  for (const change of object.tampered) {
    // The alarm "audit record changed" counts these lines (a metric filter on event); ids only, no PHI.
    logger.error('audit record changed or removed', { event: 'audit-record-changed', ...change });
  }
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: object.key,
        Body: object.body,
        ContentType: 'application/x-ndjson',
        IfNoneMatch: '*',
      }),
    );
  } catch (error) {
    // 412: this batch was archived before (a retry after a timeout); the object under Object Lock is the same.
    if (!(error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412)) throw error;
  }
  logger.info('archived', { records: event.Records.length, tampered: object.tampered.length });
}

export const handler = middy<DynamoDBStreamEvent, void>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(archiveStream);
