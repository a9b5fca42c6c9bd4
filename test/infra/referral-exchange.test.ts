// The referral exchange in AWS (issue 12): one scheduled function, once a minute, in the exchange's nested stack,
// whose role may read and put resources by id on the tenant's one HealthLake datastore (no search, delete or
// bundle) and read and commit referral items on the table (no Scan, no batch write). cdk-nag runs on the whole app
// in app.test.ts; this synth must pass it too (errors fail synth).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { REFERRAL_EXCHANGE_TABLE_ACTIONS } from '../../infra/constructs/referral-exchange.ts';
import { contextOf } from '../../infra/stacks/functions-stack.ts';
import { addTenant, projectContext, type TenantStacks } from '../../infra/tenant.ts';
import { loadTenant } from '../../infra/tenant-config.ts';
import { asArray, synthOutdir } from './build.ts';

type Json = Record<string, unknown>;
type Resources = Record<string, Json & { Type: string; Properties: Json }>;

let stacks: TenantStacks;
let outdir: string;
const exchangeTemplate = () =>
  JSON.parse(readFileSync(join(outdir, stacks.stateless.exchange.templateFile), 'utf8')) as {
    Resources: Resources;
  };
const ofType = (type: string) =>
  Object.entries(exchangeTemplate().Resources).filter(([, r]) => r.Type === type);

beforeAll(() => {
  outdir = synthOutdir('continuum-cdk-referrals-');
  const app = new App({ outdir, context: { ...projectContext(), 'aws:cdk:bundling-stacks': [] } });
  stacks = addTenant(app, loadTenant('acme'), {
    routes: routes.filter((r) => ['referrals', 'system'].includes(contextOf(r))),
  });
  app.synth();
});

describe('the referral exchange function', () => {
  it('runs once a minute, one pass at a time, on Node 24 arm64', () => {
    const fn = ofType('AWS::Lambda::Function').find(
      ([, r]) => r.Properties.FunctionName === 'continuum-acme-referral-exchange',
    );
    expect(fn?.[1].Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: expect.objectContaining({
          FHIR_AUTH: 'sigv4',
          PRACTICE_ID: 'acme',
          FHIR_BASE_URL: expect.anything(),
        }),
      },
    });
    const rules = ofType('AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.[1].Properties).toMatchObject({
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
    });
  });

  it('may only read, put by id and search (inbound Tasks) on the one datastore, and touch items without Scan or batch writes', () => {
    const fn = ofType('AWS::Lambda::Function').find(
      ([, r]) => r.Properties.FunctionName === 'continuum-acme-referral-exchange',
    );
    if (!fn) throw new Error('no referral exchange function');
    const roleId = ((fn[1].Properties.Role as Json)['Fn::GetAtt'] as string[])[0];
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => asArray(p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
    const actions = statements.flatMap((s) => asArray(s.Action as string | string[]));
    const healthLake = statements.filter((s) =>
      asArray(s.Action as string | string[]).some((a) => a.startsWith('healthlake:')),
    );
    expect(healthLake).toHaveLength(1);
    expect(asArray(healthLake[0]?.Action as string[]).sort()).toEqual([
      'healthlake:ReadResource',
      'healthlake:SearchWithGet',
      'healthlake:UpdateResource',
    ]);
    expect(JSON.stringify(healthLake[0]?.Resource)).toContain('FhirDatastoreDatastoreArn');
    const dynamo = actions.filter((a) => a.startsWith('dynamodb:'));
    expect(new Set(dynamo)).toEqual(new Set(REFERRAL_EXCHANGE_TABLE_ACTIONS));
    for (const forbidden of [
      'dynamodb:Scan',
      'dynamodb:BatchWriteItem',
      'healthlake:DeleteResource',
      'healthlake:SearchWithPost',
      '*',
    ])
      expect(actions).not.toContain(forbidden);
  });
});
