// PATCH /v1/patients/{patientId}/lab-results/{labResultId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateLabResult } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(updateLabResult, (input) =>
  service.updateLabResult(
    input,
    input.params.patientId,
    input.params.labResultId,
    input.expectedVersion,
    input.body,
  ),
);
