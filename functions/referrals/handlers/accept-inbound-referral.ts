// POST /v1/inbound-referrals/{inboundReferralId}/accept
import { httpHandler } from '#shared/http/handler.ts';
import { acceptInboundReferral } from '../inbound-routes.ts';
import { InboundReferralService } from '../inbound-service.ts';

const service = new InboundReferralService();

export const handler = httpHandler(acceptInboundReferral, (input) =>
  service.accept(input, input.params.inboundReferralId, input.expectedVersion, input.body),
);
