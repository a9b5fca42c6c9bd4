// The S3-event Lambda on the EDI bucket's inbound/ prefix: each 835, 999 or 277CA file dropped there goes through
// the same use case as POST /v1/remittances. A file the use case refuses (unbalanced, unknown claims: a 4xx) is not
// retried: its reasons are written under refused/ and the EdiFilesRefused metric raises an alarm. Anything else
// (the database unreachable) throws, so Lambda retries the event and, at last, sends it to the on-failure queue.
// Locally, the runtime's inbound folder calls ingestFile() the same way.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { ContinuumError } from '#shared/errors.ts';
import { logger } from '#shared/logger.ts';
import { count } from '#shared/metrics.ts';
import { tracing } from '#shared/tracing.ts';
import { EDI_INBOUND_PRINCIPAL } from '../ingestion.ts';
import { EDI_PREFIX, readEdiObject, writeRefusal } from '../s3-edi.ts';
import { ingestion } from '../services.ts';

/** A refusal that retrying cannot change (the file itself is wrong), as opposed to a passing failure. */
export function isRefusal(error: unknown): error is ContinuumError {
  return (
    error instanceof ContinuumError &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 409 &&
    error.status !== 429
  );
}

/** Ingests one inbound file; throws what the use case threw. */
export async function ingestFile(name: string, x12: string, requestId = `file:${name}`): Promise<void> {
  await ingestion().ingest({ principal: EDI_INBOUND_PRINCIPAL, requestId }, x12, `inbound:${name}`);
}

export async function ingestS3Event(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    if (!key.startsWith(EDI_PREFIX.inbound)) continue;
    const text = await readEdiObject(record.s3.bucket.name, key);
    try {
      await ingestFile(key, text, `${record.responseElements?.['x-amz-request-id'] ?? 's3'}:${key}`);
      logger.info('edi file ingested', { key });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      count('EdiFilesRefused');
      logger.warn('edi file refused', { key, status: error.status });
      await writeRefusal(record.s3.bucket.name, key, { reason: error.message, errors: error.errors });
    }
  }
}

export const handler = middy(ingestS3Event)
  .use(tracing())
  .use(injectLambdaContext(logger, { resetKeys: true }));
