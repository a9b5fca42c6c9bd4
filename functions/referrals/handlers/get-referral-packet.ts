// GET /v1/referrals/{referralId}/packet
import { httpHandler } from '#shared/http/handler.ts';
import { getReferralPacket } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(getReferralPacket, (input) =>
  service.packet(input, input.params.referralId, input.query.format),
);
