// The whole app, as `cdk synth` builds it, for two tenants at once: it synthesizes with cdk-nag's three packs
// and no finding left, and no name collides between tenants. Plus the one-line failures for a bad tenant.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { addTenant } from '../../infra/tenant.ts';
import {
  loadTenant,
  parseTenantId,
  REPO_ROOT,
  SHARED_HEALTHLAKE_REFUSED,
  TenantConfigError,
} from '../../infra/tenant-config.ts';
import { buildApp, synthOutdir } from './build.ts';

type Json = Record<string, unknown>;

/** Physical names that must differ between tenants (they live in one account and region namespace). */
const NAMED: Record<string, string> = {
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Cognito::UserPool': 'UserPoolName',
  'AWS::Cognito::UserPoolDomain': 'Domain',
  'AWS::ApiGateway::RestApi': 'Name',
  'AWS::WAFv2::WebACL': 'Name',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::KMS::Alias': 'AliasName',
  'AWS::Backup::BackupVault': 'BackupVaultName',
};

describe('the app', () => {
  it('synthesizes two tenants with distinct names and no cdk-nag finding', () => {
    const { app, tenants } = buildApp(['acme', 'riverside-clinic'], { validate: true });
    // Throws with the report when any AwsSolutions, HIPAA.Security or Serverless finding is not acknowledged.
    const assembly = app.synth();

    const stackNames = assembly.stacks.map((s) => s.stackName).sort();
    expect(stackNames).toEqual([
      'continuum-acme-stateful',
      'continuum-acme-stateless',
      'continuum-riverside-clinic-stateful',
      'continuum-riverside-clinic-stateless',
    ]);

    const report = JSON.parse(readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8')) as {
      pluginReports: { pluginName: string; violations: unknown[] }[];
    };
    expect(report.pluginReports.map((r) => r.pluginName).sort()).toEqual(
      expect.arrayContaining(['AwsSolutions', 'HIPAA.Security', 'Serverless']),
    );
    for (const plugin of report.pluginReports) expect(plugin.violations, plugin.pluginName).toEqual([]);

    // Every template of a tenant: its two stacks, the stateless stack's per-context nested stacks and the
    // exchange's.
    const templatesOf = (id: string): { Resources: Record<string, Json> }[] => {
      const { stateful, stateless } = tenants[id] ?? {};
      if (!stateful || !stateless) throw new Error(`${id} was not built`);
      return [stateful, stateless, ...stateless.functionStacks, stateless.exchange].map((stack) =>
        JSON.parse(readFileSync(join(assembly.directory, stack.templateFile), 'utf8')),
      );
    };
    const namesByTenant = new Map<string, Set<string>>();
    for (const tenant of ['acme', 'riverside-clinic']) {
      const names = new Set<string>();
      namesByTenant.set(tenant, names);
      for (const template of templatesOf(tenant)) {
        for (const resource of Object.values(template.Resources)) {
          const property = NAMED[resource.Type as string];
          const name = property ? (resource.Properties as Json | undefined)?.[property] : undefined;
          if (typeof name === 'string') names.add(`${resource.Type} ${name}`);
        }
      }
    }
    const acme = namesByTenant.get('acme') ?? new Set();
    const riverside = namesByTenant.get('riverside-clinic') ?? new Set();
    expect(acme.size).toBeGreaterThan(2 * routes.length);
    expect([...acme].filter((n) => riverside.has(n))).toEqual([]);
    for (const name of acme) expect(name).toMatch(/acme/);
  });

  it('puts API keys and a usage plan on hosted-API tenants only', () => {
    const { app } = buildApp(['riverside-clinic']);
    const assembly = app.synth();
    const template = (name: string) =>
      assembly.getStackByName(name).template as {
        Resources: Record<string, { Type: string; Properties: Json }>;
      };
    const stateless = Object.values(template('continuum-riverside-clinic-stateless').Resources);
    expect(stateless.filter((r) => r.Type === 'AWS::ApiGateway::ApiKey')).toHaveLength(2);
    expect(stateless.filter((r) => r.Type === 'AWS::ApiGateway::UsagePlan')).toHaveLength(1);
    for (const method of stateless.filter((r) => r.Type === 'AWS::ApiGateway::Method')) {
      const { AuthorizationType, ApiKeyRequired, HttpMethod } = method.Properties;
      expect(ApiKeyRequired ?? false).toBe(
        AuthorizationType === 'COGNITO_USER_POOLS' && HttpMethod !== 'OPTIONS',
      );
    }
  });
});

describe('the tenant', () => {
  it('must be 3 to 32 lowercase letters, digits and hyphens', () => {
    expect(parseTenantId('acme')).toBe('acme');
    for (const bad of [undefined, '', 'ab', 'Acme', 'acme_1', 'a'.repeat(33), 'acme/../x']) {
      expect(() => parseTenantId(bad)).toThrow(/tenant/i);
    }
  });

  it('every checked-in tenants/*.json is valid', () => {
    const ids = readdirSync(join(REPO_ROOT, 'tenants'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -'.json'.length));
    expect(ids).toEqual(expect.arrayContaining(['acme', 'riverside-clinic']));
    for (const id of ids) expect(loadTenant(id).id).toBe(id);
  });

  it('settings are validated, naming every bad field', () => {
    expect(() => loadTenant('acme', { alarmEmail: 'nope', region: 'moon' })).toThrow(
      /Invalid settings for tenant acme: region: .*; alarmEmail: /,
    );
    expect(() => loadTenant('no-such-tenant')).toThrow(
      'Unknown tenant no-such-tenant: tenants/no-such-tenant.json does not exist',
    );
  });

  it('refuses a HealthLake datastore shared with other practices, with one line saying why', () => {
    // IAM cannot keep practices apart inside one datastore, and an export job exports all of it (issue 19).
    const shared = {
      healthLake: {
        mode: 'existing',
        datastoreId: '0123456789abcdef0123456789abcdef',
        endpoint: 'https://healthlake.us-west-2.amazonaws.com/datastore/0123456789abcdef0123456789abcdef/r4/',
      },
    };
    expect(() => loadTenant('riverside-clinic', shared)).toThrow(TenantConfigError);
    expect(() => loadTenant('riverside-clinic', shared)).toThrow(
      `Invalid settings for tenant riverside-clinic: healthLake.mode: ${SHARED_HEALTHLAKE_REFUSED}`,
    );
    const run = spawnSync(process.execPath, ['infra/app.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ tenant: 'riverside-clinic', tenantSettings: shared }),
      },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('is refused until the exchange hub mediates access');
  });

  it('cannot reserve more Lambda concurrency than the account can give', () => {
    const greedy = loadTenant('acme', { functions: { reservedConcurrency: 100 } });
    expect(() => addTenant(new App({ outdir: synthOutdir() }), greedy)).toThrow(TenantConfigError);
    expect(() => addTenant(new App({ outdir: synthOutdir() }), greedy)).toThrow(
      /exceeds the 900 the account can reserve/,
    );
  });

  it('a bad id stops `node infra/app.ts` with one line and exit code 1', () => {
    const run = spawnSync(process.execPath, ['infra/app.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ tenant: 'Not_A_Tenant' }) },
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'continuum: Bad tenant id "Not_A_Tenant": use 3 to 32 lowercase letters, digits and hyphens',
    ]);
  });
});
