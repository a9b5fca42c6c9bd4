// POST /v1/external/referrals/{referralId}/schedule
import { httpHandler } from '#shared/http/handler.ts';
import { scheduleExternalReferral } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(scheduleExternalReferral, (input) =>
  service.schedule(input, input.params.referralId, input.expectedVersion, input.body),
);
