// PATCH /v1/patients/{patientId}/encounters/{encounterId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateEncounter } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateEncounter, (input) =>
  service.updateEncounter(
    input,
    input.params.patientId,
    input.params.encounterId,
    input.expectedVersion,
    input.body,
  ),
);
