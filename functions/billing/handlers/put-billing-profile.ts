// PUT /v1/billing/profile
import { httpHandler } from '#shared/http/handler.ts';
import { putBillingProfile } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(putBillingProfile, (input) =>
  service.putProfile(input, input.expectedVersion, input.body),
);
