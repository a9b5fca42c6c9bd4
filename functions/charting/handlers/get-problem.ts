// GET /v1/patients/{patientId}/problems/{problemId}
import { httpHandler } from '#shared/http/handler.ts';
import { getProblem } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(getProblem, (input) =>
  service.read(input, 'problem', input.params.patientId, input.params.problemId),
);
