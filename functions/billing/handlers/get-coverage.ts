// GET /v1/patients/{patientId}/coverages/{coverageId}
import { httpHandler } from '#shared/http/handler.ts';
import { getCoverage } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(getCoverage, (input) =>
  service.readCoverage(input, input.params.patientId, input.params.coverageId),
);
