// POST /v1/referrals/{referralId}/cancel
import { httpHandler } from '#shared/http/handler.ts';
import { cancelReferral } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(cancelReferral, (input) =>
  service.act(input, input.params.referralId, input.expectedVersion, 'cancel', input.body.reason),
);
