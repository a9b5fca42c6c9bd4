// POST /v1/patients/{patientId}/encounters/{encounterId}/finish
import { httpHandler } from '#shared/http/handler.ts';
import { finishEncounter } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(finishEncounter, (input) =>
  service.finishEncounter(input, input.params.patientId, input.params.encounterId, input.expectedVersion),
);
