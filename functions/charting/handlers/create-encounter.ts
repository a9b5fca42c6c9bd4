// POST /v1/patients/{patientId}/encounters
import { httpHandler } from '#shared/http/handler.ts';
import { createEncounter } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createEncounter, (input) =>
  service.createEncounter(input, input.params.patientId, input.body),
);
