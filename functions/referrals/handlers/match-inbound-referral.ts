// GET /v1/inbound-referrals/{inboundReferralId}/matches
import { httpHandler } from '#shared/http/handler.ts';
import { matchInboundReferral } from '../inbound-routes.ts';
import { InboundReferralService } from '../inbound-service.ts';

const service = new InboundReferralService();

export const handler = httpHandler(matchInboundReferral, (input) =>
  service.matches(input, input.params.inboundReferralId),
);
