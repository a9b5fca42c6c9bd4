// PUT /v1/patients/{patientId}/encounters/{encounterId}/charges
import { httpHandler } from '#shared/http/handler.ts';
import { ChargesService } from '../charges.ts';
import { putEncounterCharges } from '../routes.ts';

const service = new ChargesService();

export const handler = httpHandler(putEncounterCharges, (input) =>
  service.put(input, input.params.patientId, input.params.encounterId, input.expectedVersion, input.body),
);
