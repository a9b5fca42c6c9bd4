// GET /v1/payers/{payerId}
import { httpHandler } from '#shared/http/handler.ts';
import { getPayer } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(getPayer, (input) => service.readPayer(input, input.params.payerId));
