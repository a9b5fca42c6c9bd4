// The daily scheduled Lambda (EventBridge, 06:00 UTC): flags claims not yet accepted by their payer whose timely-
// filing limit is within TIMELY_FILING_WARNING_DAYS, as items the reports route lists, and counts them in the
// ClaimsNearTimelyFiling metric. Reads claims by status (gsi1, no Scan) and the payers' one partition.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '#shared/logger.ts';
import { count } from '#shared/metrics.ts';
import { tracing } from '#shared/tracing.ts';
import { flagTimelyFiling } from '../reports-service.ts';

export const handler = middy(async () => {
  const flagged = await flagTimelyFiling();
  for (let i = 0; i < flagged; i++) count('ClaimsNearTimelyFiling');
  logger.info('timely filing checked', { flagged });
  return { flagged };
})
  .use(tracing())
  .use(injectLambdaContext(logger, { resetKeys: true }));
