// POST /v1/patients/{patientId}/lab-results/{labResultId}/review
import { httpHandler } from '#shared/http/handler.ts';
import { expectedVersion } from '../if-match.ts';
import { reviewLabResult } from '../routes.ts';
import { ChartingService } from '../service.ts';

const service = new ChartingService();

export const handler = httpHandler(reviewLabResult, (input) =>
  service.reviewLabReport(
    input,
    input.params.patientId,
    input.params.labResultId,
    expectedVersion(input),
    input.body,
  ),
);
