// GET /v1/patients/{patientId}/encounters
import { httpHandler } from '#shared/http/handler.ts';
import { listEncounters } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listEncounters, (input) =>
  service.list(input, 'encounter', input.params.patientId, input.query),
);
