// GET /v1/fee-schedule
import { httpHandler } from '#shared/http/handler.ts';
import { listFeeSchedule } from '../routes.ts';
import { BillingSetupService } from '../setup.ts';

const service = new BillingSetupService();

export const handler = httpHandler(listFeeSchedule, (input) => service.listFees(input));
