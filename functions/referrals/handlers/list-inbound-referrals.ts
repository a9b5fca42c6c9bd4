// GET /v1/inbound-referrals
import { httpHandler } from '#shared/http/handler.ts';
import { listInboundReferrals } from '../inbound-routes.ts';
import { InboundReferralService } from '../inbound-service.ts';

const service = new InboundReferralService();

export const handler = httpHandler(listInboundReferrals, (input) => service.list(input, input.query));
