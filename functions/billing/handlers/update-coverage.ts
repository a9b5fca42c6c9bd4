// PATCH /v1/patients/{patientId}/coverages/{coverageId}
import { httpHandler } from '#shared/http/handler.ts';
import { updateCoverage } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(updateCoverage, (input) =>
  service.updateCoverage(
    input,
    input.params.patientId,
    input.params.coverageId,
    input.expectedVersion,
    input.body,
  ),
);
