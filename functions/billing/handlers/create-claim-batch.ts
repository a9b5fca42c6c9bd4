// POST /v1/claim-batches
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimBatchService } from '../batches.ts';
import { createClaimBatch } from '../routes.ts';

const service = new ClaimBatchService();

export const handler = httpHandler(createClaimBatch, (input) => service.create(input, input.body.claimIds));
