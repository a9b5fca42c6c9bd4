// The referral exchange's scheduled run (EventBridge, once a minute in AWS; the local runtime's poller locally):
// one pass of ReferralExchange over the open referrals, then the inbound Tasks. Not an HTTP route.
import { config } from '#shared/config.ts';
import { FhirClient } from '#shared/fhir-client.ts';
import { logger } from '#shared/logger.ts';
import { ReferralExchange } from '../exchange.ts';
import { pollInboundReferrals } from '../inbound-service.ts';
import { ReferralService } from '../service.ts';
import { DynamoReferralStore } from '../store.ts';

let exchange: ReferralExchange | undefined;
let base: string | undefined;

function theExchange(): ReferralExchange {
  const { FHIR_BASE_URL, FHIR_AUTH, AWS_REGION } = config();
  if (!FHIR_BASE_URL) throw new Error('FHIR_BASE_URL is not configured');
  if (!exchange || base !== FHIR_BASE_URL) {
    const store = new DynamoReferralStore();
    exchange = new ReferralExchange(
      new FhirClient({ baseUrl: FHIR_BASE_URL, auth: FHIR_AUTH, region: AWS_REGION }),
      store,
      new ReferralService(store),
    );
    base = FHIR_BASE_URL;
  }
  return exchange;
}

/**
 * One pass: the outbound referrals, then the Tasks other organisations addressed to us (inbound referrals, taken in
 * once each). What it did is logged as counts (never a patient's data).
 */
export async function runReferralExchange(): Promise<{
  checked: number;
  pushed: number;
  applied: number;
  failed: number;
  inbound: number;
}> {
  const run = await theExchange().run();
  const inbound = await pollInboundReferrals();
  if (run.pushed + run.applied + run.failed + inbound > 0)
    logger.info('referral exchange', { ...run, inbound });
  return { ...run, inbound };
}

export const handler = async () => runReferralExchange();
