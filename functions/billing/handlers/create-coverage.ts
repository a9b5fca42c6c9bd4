// POST /v1/patients/{patientId}/coverages
import { httpHandler } from '#shared/http/handler.ts';
import { createCoverage } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(createCoverage, (input) =>
  service.createCoverage(input, input.params.patientId, input.body),
);
