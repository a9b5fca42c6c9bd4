// GET /v1/claims/{claimId}
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { getClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(getClaim, (input) => service.read(input, input.params.claimId));
