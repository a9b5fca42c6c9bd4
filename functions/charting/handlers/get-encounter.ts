// GET /v1/patients/{patientId}/encounters/{encounterId}
import { httpHandler } from '#shared/http/handler.ts';
import { getEncounter } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getEncounter, (input) =>
  service.read(input, 'encounter', input.params.patientId, input.params.encounterId),
);
