// GET /v1/patients/{patientId}/coverages
import { httpHandler } from '#shared/http/handler.ts';
import { listCoverages } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(listCoverages, (input) =>
  service.listCoverages(input, input.params.patientId),
);
