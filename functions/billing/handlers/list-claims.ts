// GET /v1/claims
import { httpHandler } from '#shared/http/handler.ts';
import { ClaimService } from '../claims.ts';
import { listClaims } from '../routes.ts';

const service = new ClaimService();

export const handler = httpHandler(listClaims, (input) => service.list(input, input.query));
