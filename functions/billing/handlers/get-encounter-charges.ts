// GET /v1/patients/{patientId}/encounters/{encounterId}/charges
import { httpHandler } from '#shared/http/handler.ts';
import { ChargesService } from '../charges.ts';
import { getEncounterCharges } from '../routes.ts';

const service = new ChargesService();

export const handler = httpHandler(getEncounterCharges, (input) =>
  service.read(input, input.params.patientId, input.params.encounterId),
);
