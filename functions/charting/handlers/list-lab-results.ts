// GET /v1/patients/{patientId}/lab-results
import { httpHandler } from '#shared/http/handler.ts';
import { listLabResults } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listLabResults, (input) =>
  service.list(input, 'lab-result', input.params.patientId, input.query),
);
