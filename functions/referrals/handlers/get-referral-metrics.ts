// GET /v1/referrals/metrics
import { httpHandler } from '#shared/http/handler.ts';
import { getReferralMetrics } from '../routes.ts';
import { ReferralService } from '../service.ts';

const service = new ReferralService();

export const handler = httpHandler(getReferralMetrics, (input) => service.metrics(input, input.query));
