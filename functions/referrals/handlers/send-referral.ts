// POST /v1/referrals/{referralId}/send
import { httpHandler } from '#shared/http/handler.ts';
import { sendReferral } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(sendReferral, (input) =>
  service.send(input, input.params.referralId, input.expectedVersion),
);
