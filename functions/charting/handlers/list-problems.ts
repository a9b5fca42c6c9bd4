// GET /v1/patients/{patientId}/problems
import { httpHandler } from '#shared/http/handler.ts';
import { listProblems } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(listProblems, (input) =>
  service.list(input, 'problem', input.params.patientId, input.query),
);
