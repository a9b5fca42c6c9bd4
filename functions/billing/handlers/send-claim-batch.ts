// POST /v1/claim-batches/{batchId}/send
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimBatchService } from '../batches.ts';
import { sendClaimBatch } from '../routes.ts';

const service = new ClaimBatchService();

export const handler = httpHandler(sendClaimBatch, (input) => service.resend(input, input.params.batchId));
