// POST /v1/patients/{patientId}/coverages/{coverageId}/end
import { httpHandler } from '#shared/http/handler.ts';
import { endCoverage } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(endCoverage, (input) =>
  service.endCoverage(
    input,
    input.params.patientId,
    input.params.coverageId,
    input.expectedVersion,
    input.body.end,
  ),
);
