// GET /v1/patients/{patientId}/vitals
import { httpHandler } from '#shared/http/handler.ts';
import { listVitals } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listVitals, (input) =>
  service.list(input, 'vitals', input.params.patientId, input.query),
);
