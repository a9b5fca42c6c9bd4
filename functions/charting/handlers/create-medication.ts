// POST /v1/patients/{patientId}/medications
import { httpHandler } from '#shared/http/handler.ts';
import { createMedication } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createMedication, (input) =>
  service.createMedication(input, input.params.patientId, input.body),
);
