// One tenant's two stacks, wired together: stateful (data) first, stateless (code) on top, both tagged with
// the tenant and checked by cdk-nag. app.ts, the tests and the bench all build tenants through here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, Tags } from 'aws-cdk-lib';
import type { AnyRoute } from '#shared/http/route.ts';
import { acknowledgeFindings } from './nag.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';
import { REPO_ROOT, type Tenant } from './tenant-config.ts';
import type { TenantStacks } from './tenant-stacks.ts';

export type { TenantStacks } from './tenant-stacks.ts';

export interface AddTenantOptions {
  /** The route table; defaults to functions/routes.ts. */
  routes?: readonly AnyRoute[];
  /** Repository root for handler paths; defaults to this checkout. */
  root?: string;
}

/** Stack names carry the tenant: continuum-<id>-stateful and continuum-<id>-stateless. */
export function stackNames(tenantId: string): { stateful: string; stateless: string } {
  return { stateful: `continuum-${tenantId}-stateful`, stateless: `continuum-${tenantId}-stateless` };
}

/**
 * cdk.json's context (feature flags included), for apps built in-process by the tests and the bench, so they
 * synthesize exactly what `cdk synth` does.
 */
export function projectContext(root: string = REPO_ROOT): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export function addTenant(app: App, tenant: Tenant, options: AddTenantOptions = {}): TenantStacks {
  const env = { account: tenant.settings.account, region: tenant.settings.region };
  const names = stackNames(tenant.id);
  const stateful = new StatefulStack(app, names.stateful, {
    env,
    tenant,
    description: `Continuum ${tenant.id}: data (table, keys, user pool, HealthLake). Retained on delete.`,
    // `cdk destroy` cannot delete this stack by accident; even when it is deleted, its resources are
    // retained.
    terminationProtection: true,
  });
  const stateless = new StatelessStack(app, names.stateless, {
    env,
    tenant,
    stateful: stateful.resources,
    description: `Continuum ${tenant.id}: API, functions, WAF, alarms. Safe to redeploy or destroy.`,
    ...(options.routes ? { routes: options.routes } : {}),
    ...(options.root ? { root: options.root } : {}),
  });
  stateless.addStackDependency(stateful);
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('continuum:tenant', tenant.id);
    Tags.of(stack).add('continuum:data-classification', 'phi');
  }
  acknowledgeFindings({ stateful, stateless }, tenant);
  return { stateful, stateless };
}
