// POST /v1/external/referrals/{referralId}/consult-note
import { httpHandler } from '#shared/http/handler.ts';
import { returnConsultNote } from '../external-routes.ts';
import { ExternalReferralService } from '../external-service.ts';

const service = new ExternalReferralService();

export const handler = httpHandler(returnConsultNote, (input) =>
  service.returnConsultNote(input, input.params.referralId, input.expectedVersion, input.body),
);
