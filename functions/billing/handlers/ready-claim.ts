// POST /v1/claims/{claimId}/ready
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { readyClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(readyClaim, (input) =>
  service.ready(input, input.params.claimId, input.expectedVersion, input.body?.note),
);
