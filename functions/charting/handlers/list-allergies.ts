// GET /v1/patients/{patientId}/allergies
import { httpHandler } from '#shared/http/handler.ts';
import { listAllergies } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listAllergies, (input) =>
  service.list(input, 'allergy', input.params.patientId, input.query),
);
