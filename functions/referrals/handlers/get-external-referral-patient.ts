// GET /v1/external/referrals/{referralId}/patient
import { httpHandler } from '#shared/http/handler.ts';
import { getExternalReferralPatient } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(getExternalReferralPatient, (input) =>
  service.patient(input, input.params.referralId),
);
