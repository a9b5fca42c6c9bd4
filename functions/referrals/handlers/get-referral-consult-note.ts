// GET /v1/referrals/{referralId}/consult-note
import { httpHandler } from '#shared/http/handler.ts';
import { getReferralConsultNote } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(getReferralConsultNote, (input) =>
  service.consultNote(input, input.params.referralId),
);
