// Builds tenants' stacks for the infra tests: bundling skipped (measured by test/bench/synth.ts instead),
// output in a temporary folder removed when the test file is done, cdk-nag only where a test asks for it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll } from 'vitest';
import type { AnyRoute } from '#shared/http/route.ts';
import { addNagChecks } from '../../infra/nag.ts';
import { addTenant, projectContext, type TenantStacks } from '../../infra/tenant.ts';
import { loadTenant } from '../../infra/tenant-config.ts';

export interface TestApp {
  app: App;
  tenants: Record<string, TenantStacks>;
}

export interface BuildOptions {
  /** Run the three cdk-nag packs and CDK's built-in CloudFormation schema checks, as `cdk synth` does. */
  validate?: boolean;
  routes?: readonly AnyRoute[];
}

const outdirs: string[] = [];
// Registered when a test file imports this module: its synth output goes when the file's tests are done.
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder for a synth, removed after the importing test file's tests. */
export function synthOutdir(prefix = 'continuum-cdk-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  outdirs.push(dir);
  return dir;
}

export function buildApp(tenantIds: string[], options: BuildOptions = {}): TestApp {
  const app = new App({
    outdir: synthOutdir(),
    context: { ...projectContext(), 'aws:cdk:bundling-stacks': [] },
    // The schema checks start a WebAssembly engine (~1 s per process): only where a test validates.
    builtinCloudFormationValidation: options.validate ?? false,
  });
  const tenants: Record<string, TenantStacks> = {};
  for (const id of tenantIds) {
    tenants[id] = addTenant(app, loadTenant(id), options.routes ? { routes: options.routes } : {});
  }
  if (options.validate) addNagChecks(app);
  return { app, tenants };
}

type Json = Record<string, unknown>;

/**
 * A stack's (or nested stack's) template from the app's one synthesis: `Template.fromStack` would synthesize the
 * whole app again on every call.
 */
export function templateOf(app: App, stack: Stack): Template {
  const assembly = app.synth();
  return Template.fromJSON(JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8')));
}

/** Each method's HTTP verb and full path, rebuilt from the template's resource tree. */
export function methodPaths(template: {
  Resources: Record<string, Json>;
}): { method: string; path: string; properties: Json }[] {
  const resources = template.Resources;
  const pathOf = (logicalId: string): string => {
    const props = resources[logicalId]?.Properties as Json;
    const parent = props.ParentId as Json;
    const parentPath = 'Ref' in parent ? pathOf(parent.Ref as string) : '';
    return `${parentPath}/${props.PathPart as string}`;
  };
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((r) => {
      const properties = r.Properties as Json;
      const resourceId = properties.ResourceId as Json;
      const path = 'Ref' in resourceId ? pathOf(resourceId.Ref as string) : '/';
      return { method: properties.HttpMethod as string, path, properties };
    });
}

/** Every IAM statement of every policy in a template, with the policy's logical id. */
export function statements(template: {
  Resources: Record<string, Json>;
}): { policy: string; statement: Json }[] {
  const out: { policy: string; statement: Json }[] = [];
  for (const [policy, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' && resource.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const document = (resource.Properties as Json).PolicyDocument as { Statement: Json[] };
    for (const statement of document.Statement) out.push({ policy, statement });
  }
  return out;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
