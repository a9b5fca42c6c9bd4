// GET /v1/billing/profile
import { httpHandler } from '#shared/http/handler.ts';
import { getBillingProfile } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(getBillingProfile, (input) => service.readProfile(input));
