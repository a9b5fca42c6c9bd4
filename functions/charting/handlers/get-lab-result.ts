// GET /v1/patients/{patientId}/lab-results/{labResultId}
import { httpHandler } from '#shared/http/handler.ts';
import { getLabResult } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getLabResult, (input) =>
  service.read(input, 'lab-result', input.params.patientId, input.params.labResultId),
);
