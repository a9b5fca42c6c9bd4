// PATCH /v1/payers/{payerId}
import { httpHandler } from '#shared/http/handler.ts';
import { updatePayer } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(updatePayer, (input) =>
  service.updatePayer(input, input.params.payerId, input.expectedVersion, input.body),
);
