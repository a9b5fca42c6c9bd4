// POST /v1/patients/{patientId}/lab-results/{labResultId}/review
import { httpHandler } from '#shared/http/handler.ts';
import { reviewLabResult } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(reviewLabResult, (input) =>
  service.reviewLabResult(
    input,
    input.params.patientId,
    input.params.labResultId,
    input.expectedVersion,
    input.body,
  ),
);
