// GET /v1/inbound-referrals/{inboundReferralId}
import { httpHandler } from '#shared/http/handler.ts';
import { getInboundReferral } from '../inbound-routes.ts';
import { InboundReferralService } from '../inbound-service.ts';

const service = new InboundReferralService();

export const handler = httpHandler(getInboundReferral, (input) =>
  service.read(input, input.params.inboundReferralId),
);
