// POST /v1/referrals/{referralId}/close
import { httpHandler } from '#shared/http/handler.ts';
import { closeReferral } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(closeReferral, (input) =>
  service.act(input, input.params.referralId, input.expectedVersion, 'close'),
);
