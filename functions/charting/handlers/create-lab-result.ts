// POST /v1/patients/{patientId}/lab-results
import { httpHandler } from '#shared/http/handler.ts';
import { createLabResult } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createLabResult, (input) =>
  service.createLabResult(input, input.params.patientId, input.body),
);
