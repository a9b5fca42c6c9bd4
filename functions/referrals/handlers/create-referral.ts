// POST /v1/patients/{patientId}/referrals
import { httpHandler } from '#shared/http/handler.ts';
import { createReferral } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(createReferral, (input) =>
  service.create(input, input.params.patientId, input.body),
);
