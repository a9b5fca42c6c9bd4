// POST /v1/claims/{claimId}/check
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { checkClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(checkClaim, (input) => service.check(input, input.params.claimId));
