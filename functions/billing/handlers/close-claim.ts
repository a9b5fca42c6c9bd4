// POST /v1/claims/{claimId}/close
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { closeClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(closeClaim, (input) =>
  service.close(input, input.params.claimId, input.expectedVersion, input.body?.note),
);
