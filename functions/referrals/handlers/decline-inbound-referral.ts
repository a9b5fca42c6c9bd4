// POST /v1/inbound-referrals/{inboundReferralId}/decline
import { httpHandler } from '#shared/http/handler.ts';
import { declineInboundReferral } from '../inbound-routes.ts';
import { InboundReferralService } from '../inbound-service.ts';

const service = new InboundReferralService();

export const handler = httpHandler(declineInboundReferral, (input) =>
  service.decline(input, input.params.inboundReferralId, input.expectedVersion, input.body.reason),
);
