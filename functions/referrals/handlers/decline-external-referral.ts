// POST /v1/external/referrals/{referralId}/decline
import { httpHandler } from '#shared/http/handler.ts';
import { declineExternalReferral } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(declineExternalReferral, (input) =>
  service.decline(input, input.params.referralId, input.expectedVersion, input.body),
);
