// GET /v1/patients/{patientId}/allergies/{allergyId}
import { httpHandler } from '#shared/http/handler.ts';
import { getAllergy } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getAllergy, (input) =>
  service.read(input, 'allergy', input.params.patientId, input.params.allergyId),
);
