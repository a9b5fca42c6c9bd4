// POST /v1/claims
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { createClaim } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(createClaim, (input) => service.create(input, input.body));
