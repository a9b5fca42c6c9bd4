// POST /v1/claims/{claimId}/correct
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { correctClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(correctClaim, (input) =>
  service.correct(input, input.params.claimId, input.expectedVersion, input.body?.note),
);
