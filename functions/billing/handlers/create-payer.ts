// POST /v1/payers
import { httpHandler } from '#shared/http/handler.ts';
import { createPayer } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(createPayer, (input) => service.createPayer(input, input.body));
