// GET /v1/external/referrals/{referralId}/packet
import { httpHandler } from '#shared/http/handler.ts';
import { getExternalReferralPacket } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(getExternalReferralPacket, (input) =>
  service.packet(input, input.params.referralId, input.query.format),
);
