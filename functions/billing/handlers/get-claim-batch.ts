// GET /v1/claim-batches/{batchId}
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimBatchService } from '../batches.ts';
import { getClaimBatch } from '../routes.ts';

const service = new ClaimBatchService();

export const handler = httpHandler(getClaimBatch, (input) => service.read(input, input.params.batchId));
