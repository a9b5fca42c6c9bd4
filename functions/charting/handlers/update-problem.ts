// PATCH /v1/patients/{patientId}/problems/{problemId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateProblem } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateProblem, (input) =>
  service.updateProblem(
    input,
    input.params.patientId,
    input.params.problemId,
    input.expectedVersion,
    input.body,
  ),
);
