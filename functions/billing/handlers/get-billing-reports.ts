// GET /v1/billing/reports
import { httpHandler } from '#shared/http/handler.ts';
import { getBillingReports } from '../remittance-routes.ts';
import { reports } from '../services.ts';

export const handler = httpHandler(getBillingReports, (input) => reports().reports(input, input.query.asOf));
