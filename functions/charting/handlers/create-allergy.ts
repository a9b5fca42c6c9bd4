// POST /v1/patients/{patientId}/allergies
import { httpHandler } from '#shared/http/handler.ts';
import { createAllergy } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createAllergy, (input) =>
  service.createAllergy(input, input.params.patientId, input.body),
);
