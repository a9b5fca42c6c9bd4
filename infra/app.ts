// The CDK app: `cdk synth -c tenant=<id>` builds that tenant's stacks from tenants/<id>.json and checks them
// with cdk-nag. A missing or bad tenant stops synth with one line, not a stack trace.
import { App } from 'aws-cdk-lib';
import { addNagChecks } from './nag.ts';
import { addTenant } from './tenant.ts';
import { loadTenant, TenantConfigError } from './tenant-config.ts';

const app = new App();
try {
  const tenant = loadTenant(app.node.tryGetContext('tenant'), app.node.tryGetContext('tenantSettings'));
  addTenant(app, tenant);
  addNagChecks(app);
  app.synth();
} catch (error) {
  if (!(error instanceof TenantConfigError)) throw error;
  console.error(`continuum: ${error.message}`);
  process.exit(1);
}
