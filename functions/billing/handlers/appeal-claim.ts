// POST /v1/claims/{claimId}/appeal
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { appealClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(appealClaim, (input) =>
  service.appeal(input, input.params.claimId, input.expectedVersion, input.body?.note),
);
