// GET /v1/referrals/{referralId}
import { httpHandler } from '#shared/http/handler.ts';
import { getReferral } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(getReferral, (input) => service.get(input, input.params.referralId));
