// POST /v1/inbound-referrals
import { httpHandler } from '#shared/http/handler.ts';
import { receiveInboundReferral } from '../inbound-routes.ts';
import { InboundReferralService } from '../inbound-service.ts';

const service = new InboundReferralService();

export const handler = httpHandler(receiveInboundReferral, (input) => service.receiveCcda(input, input.body));
