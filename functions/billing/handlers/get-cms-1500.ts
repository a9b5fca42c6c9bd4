// GET /v1/claims/{claimId}/cms-1500
import { httpHandler } from '#shared/http/handler.ts';
import { getCms1500 } from '../remittance-routes.ts';
import { paperClaims } from '../services.ts';

export const handler = httpHandler(getCms1500, (input) => paperClaims().cms1500(input, input.params.claimId));
