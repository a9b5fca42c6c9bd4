// POST /v1/external/referrals/{referralId}/accept
import { httpHandler } from '#shared/http/handler.ts';
import { acceptExternalReferral } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(acceptExternalReferral, (input) =>
  service.accept(input, input.params.referralId, input.expectedVersion),
);
