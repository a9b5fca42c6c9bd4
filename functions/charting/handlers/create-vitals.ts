// POST /v1/patients/{patientId}/vitals
import { httpHandler } from '#shared/http/handler.ts';
import { createVitals } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createVitals, (input) =>
  service.createVitals(input, input.params.patientId, input.body),
);
