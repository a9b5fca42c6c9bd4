// POST /v1/patients/{patientId}/problems
import { httpHandler } from '#shared/http/handler.ts';
import { createProblem } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(createProblem, (input) =>
  service.createProblem(input, input.params.patientId, input.body),
);
