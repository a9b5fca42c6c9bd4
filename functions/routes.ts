// The route table: every endpoint of the API, gathered from each context. The local gateway serves it, the CDK
// stack builds one Lambda per entry from it, and the OpenAPI document is generated from it.
import type { AnyRoute } from '#shared/http/route.ts';
import { routes as audit } from './audit/routes.ts';
import { accountRoutes as billingAccounts } from './billing/account-routes.ts';
import { remittanceRoutes as billingRemittances } from './billing/remittance-routes.ts';
import { routes as billing } from './billing/routes.ts';
import { routes as charting } from './charting/routes.ts';
import { routes as patients } from './patients/routes.ts';
import { routes as externalProviders } from './referrals/external-routes.ts';
import { routes as inboundReferrals } from './referrals/inbound-routes.ts';
import { routes as referrals } from './referrals/routes.ts';
import { routes as scheduling } from './scheduling/routes.ts';
import { routes as sharing } from './sharing/routes.ts';
import { routes as system } from './system/routes.ts';

export const routes: readonly AnyRoute[] = [
  ...system,
  ...patients,
  ...scheduling,
  ...charting,
  ...sharing,
  ...referrals,
  ...externalProviders,
  ...inboundReferrals,
  ...billingAccounts,
  ...billingRemittances,
  ...billing,
  ...audit,
];
