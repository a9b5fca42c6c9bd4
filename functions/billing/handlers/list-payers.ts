// GET /v1/payers
import { httpHandler } from '#shared/http/handler.ts';
import { listPayers } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(listPayers, (input) => service.listPayers(input));
