// GET /v1/external/referrals
import { httpHandler } from '#shared/http/handler.ts';
import { listExternalReferrals } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(listExternalReferrals, (input) => service.list(input));
