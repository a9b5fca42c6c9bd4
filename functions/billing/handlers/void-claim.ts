// POST /v1/claims/{claimId}/void
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { voidClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(voidClaim, (input) =>
  service.void(input, input.params.claimId, input.expectedVersion, input.body?.note),
);
