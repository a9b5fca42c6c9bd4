// GET /v1/claim-batches/{batchId}/x12
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimBatchService } from '../batches.ts';
import { getClaimBatchFile } from '../routes.ts';

const service = new ClaimBatchService();

export const handler = httpHandler(getClaimBatchFile, (input) => service.file(input, input.params.batchId));
