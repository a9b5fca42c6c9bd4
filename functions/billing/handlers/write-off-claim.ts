// POST /v1/claims/{claimId}/write-off
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { writeOffClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(writeOffClaim, (input) =>
  service.writeOff(input, input.params.claimId, input.expectedVersion, input.body),
);
