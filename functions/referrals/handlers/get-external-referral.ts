// GET /v1/external/referrals/{referralId}
import { httpHandler } from '#shared/http/handler.ts';
import { getExternalReferral } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(getExternalReferral, (input) =>
  service.read(input, input.params.referralId),
);
