// PATCH /v1/claims/{claimId}
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { updateClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(updateClaim, (input) =>
  service.update(input, input.params.claimId, input.expectedVersion, input.body),
);
