// GET /v1/referrals
import { httpHandler } from '#shared/http/handler.ts';
import { listReferrals } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(listReferrals, (input) => service.worklist(input, input.query));
