// Template assertions for the edge of a tenant's stacks (issue 19 items 4-6, 9, 10; issue 18 finding 4): TLS and
// the custom domain, no PHI in traces, token lifetimes and revocation, the CloudTrail archive and the alarms,
// the cursor secret read at run time, the WAF rules, and least privilege for the export status and the mirror.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { pagesWithCursors } from '../../infra/constructs/route-function.ts';
import { noteRoutesPattern } from '../../infra/constructs/web-acl.ts';
import { contextOf } from '../../infra/stacks/functions-stack.ts';
import { addTenant, projectContext, type TenantStacks } from '../../infra/tenant.ts';
import { loadTenant, reservedConcurrencyOf, TenantConfigError } from '../../infra/tenant-config.ts';
import { asArray } from './build.ts';

type Json = Record<string, unknown>;
type Resource = Json & { Type: string; Properties: Json };
interface TemplateJson {
  Resources: Record<string, Resource>;
}

const DOMAIN = {
  domainName: 'api.acme-health.example',
  certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d',
};
const PAGING_URL = 'https://events.pager.example/integration/0123/enqueue';

let outdir: string;
let acme: TenantStacks;
let custom: TenantStacks;
const read = (file: string): TemplateJson => JSON.parse(readFileSync(join(outdir, file), 'utf8'));
const templatesOf = (stacks: TenantStacks) => ({
  stateful: read(stacks.stateful.templateFile),
  stateless: read(stacks.stateless.templateFile),
  exchange: read(stacks.stateless.exchange.templateFile),
  functions: stacks.stateless.functionStacks.map((s) => read(s.templateFile)),
});
const ofType = (template: TemplateJson, type: string): Resource[] =>
  Object.values(template.Resources).filter((r) => r.Type === type);
const actionsOf = (statement: Json) => asArray(statement.Action as string | string[]);

function functionOf(templates: TemplateJson[], name: string): { fn: Resource; statements: Json[] } {
  for (const template of templates) {
    const entry = Object.entries(template.Resources).find(
      ([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === name,
    );
    if (!entry) continue;
    const roleId = ((entry[1].Properties.Role as Json)['Fn::GetAtt'] as string[])[0];
    const statements = ofType(template, 'AWS::IAM::Policy')
      .filter((p) => asArray(p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
    return { fn: entry[1], statements };
  }
  throw new Error(`No function ${name}`);
}

beforeAll(() => {
  outdir = mkdtempSync(join(tmpdir(), 'continuum-cdk-edge-'));
  const app = new App({ outdir, context: { ...projectContext(), 'aws:cdk:bundling-stacks': [] } });
  acme = addTenant(app, loadTenant('acme'));
  // The same practice with its own domain, a paging endpoint and other token lifetimes, in another account.
  custom = addTenant(
    app,
    {
      ...loadTenant('acme', {
        account: '333333333333',
        apiDomain: DOMAIN,
        alarmPagingUrl: PAGING_URL,
        sessions: { idTokenMinutes: 10, refreshTokenHours: 8 },
        cognito: { ...loadTenant('acme').settings.cognito, domainPrefix: 'continuum-acme-custom' },
      }),
      id: 'acme-custom',
    },
    // Two contexts keep this synth short; acme has every route.
    { routes: routes.filter((r) => ['sharing', 'system'].includes(contextOf(r))) },
  );
  app.synth();
});

describe('TLS (issue 19 item 5)', () => {
  it('the execute-api endpoint accepts TLS 1.2 and 1.3 only, in strict mode, by default', () => {
    const [api] = ofType(templatesOf(acme).stateless, 'AWS::ApiGateway::RestApi');
    expect(api?.Properties).toMatchObject({
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    expect(api?.Properties.DisableExecuteApiEndpoint ?? false).toBe(false);
    expect(ofType(templatesOf(acme).stateless, 'AWS::ApiGateway::DomainName')).toEqual([]);
  });

  it('with apiDomain, the API answers on that domain only, with the same policy', () => {
    const { stateless } = templatesOf(custom);
    const [api] = ofType(stateless, 'AWS::ApiGateway::RestApi');
    expect(api?.Properties.DisableExecuteApiEndpoint).toBe(true);
    const [domain] = ofType(stateless, 'AWS::ApiGateway::DomainName');
    expect(domain?.Properties).toMatchObject({
      DomainName: DOMAIN.domainName,
      RegionalCertificateArn: DOMAIN.certificateArn,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09',
      EndpointAccessMode: 'STRICT',
    });
    expect(ofType(stateless, 'AWS::ApiGateway::BasePathMapping')).toHaveLength(1);
  });

  it('refuses a domain that is not a host name and a certificate that is not an ACM ARN', () => {
    expect(() =>
      loadTenant('acme', { apiDomain: { domainName: 'API.Example', certificateArn: 'arn:nope' } }),
    ).toThrow(/apiDomain\.domainName: .*apiDomain\.certificateArn: /);
  });
});

describe('no PHI in traces (issue 19 item 4)', () => {
  it('the stage does not trace (X-Ray would record URLs and query strings)', () => {
    const [stage] = ofType(templatesOf(acme).stateless, 'AWS::ApiGateway::Stage');
    expect(stage?.Properties.TracingEnabled).toBe(false);
    expect(JSON.stringify(stage?.Properties.AccessLogSetting)).not.toContain('xrayTraceId');
  });
});

describe('traces (issue 19 item 4)', () => {
  it('functions trace with Powertools Tracer, capturing no response, error or outgoing URL', () => {
    const { fn } = functionOf(templatesOf(acme).functions, 'continuum-acme-searchPatients');
    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
    expect((fn.Properties.Environment as { Variables: Json }).Variables).toMatchObject({
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      POWERTOOLS_TRACER_CAPTURE_HTTPS_REQUESTS: 'false',
    });
  });

  it('are encrypted with the ops key, which admits X-Ray for this account only', () => {
    const { stateless, stateful } = templatesOf(acme);
    const [call] = ofType(stateless, 'Custom::AWS');
    const create = JSON.stringify(call?.Properties.Create);
    // The call is a JSON string joined with the ops key's ARN.
    expect(create).toMatch(/service\\":\\"XRay.*action\\":\\"PutEncryptionConfig.*Type\\":\\"KMS.*OpsKey/);
    const opsKey = Object.entries(stateful.Resources).find(
      ([id, r]) => r.Type === 'AWS::KMS::Key' && id.startsWith('OpsKey'),
    )?.[1] as Resource;
    expect((opsKey.Properties.KeyPolicy as { Statement: Json[] }).Statement).toContainEqual(
      expect.objectContaining({
        Sid: 'XRayEncryptsTraces',
        Condition: {
          StringEquals: {
            'kms:CallerAccount': '111111111111',
            'kms:ViaService': 'xray.us-east-1.amazonaws.com',
          },
        },
      }),
    );
  });
});

describe('tokens and revocation (issue 18 finding 4, issue 19 item 6)', () => {
  const client = (stacks: TenantStacks) =>
    ofType(templatesOf(stacks).stateful, 'AWS::Cognito::UserPoolClient')[0]?.Properties;

  it('ID and access tokens live 15 minutes by default, sessions 12 hours through the refresh token', () => {
    expect(client(acme)).toMatchObject({
      IdTokenValidity: 15,
      AccessTokenValidity: 15,
      RefreshTokenValidity: 720,
      TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
      EnableTokenRevocation: true,
    });
    expect(client(acme)?.ExplicitAuthFlows).toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });

  it('the lifetimes are tenant settings', () => {
    expect(client(custom)).toMatchObject({
      IdTokenValidity: 10,
      AccessTokenValidity: 10,
      RefreshTokenValidity: 480,
    });
    expect(() => loadTenant('acme', { sessions: { idTokenMinutes: 120 } })).toThrow(
      /sessions\.idTokenMinutes/,
    );
  });

  it('the authorizer caches nothing, so no decision outlives the token it was made for', () => {
    const [authorizer] = ofType(templatesOf(acme).stateless, 'AWS::ApiGateway::Authorizer');
    expect(authorizer?.Properties.AuthorizerResultTtlInSeconds).toBe(0);
  });
});

describe('the cursor secret (issue 19 item 10)', () => {
  it('is in no function environment; the routes that page read it at run time, and only they', () => {
    const templates = templatesOf(acme).functions;
    const paging = acme.stateless.functions.filter((f) => pagesWithCursors(f.route));
    expect(paging.map((f) => f.route.operationId)).toEqual(
      expect.arrayContaining(['searchPatients', 'listAudit', 'listNotes']),
    );
    for (const { route } of acme.stateless.functions) {
      const { fn, statements } = functionOf(templates, `continuum-acme-${route.operationId}`);
      const variables = (fn.Properties.Environment as { Variables: Json }).Variables;
      expect(variables.CURSOR_SECRET, route.operationId).toBeUndefined();
      expect(JSON.stringify(variables)).not.toContain('resolve:secretsmanager');
      const reads = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')));
      if (!pagesWithCursors(route)) {
        expect(variables.CURSOR_SECRET_ARN, route.operationId).toBeUndefined();
        expect(reads, route.operationId).toEqual([]);
        continue;
      }
      expect(variables.CURSOR_SECRET_ARN, route.operationId).toEqual({
        'Fn::ImportValue': expect.stringMatching(/CursorSecret/),
      });
      expect(reads, route.operationId).toEqual([
        expect.objectContaining({
          Action: 'secretsmanager:GetSecretValue',
          Resource: variables.CURSOR_SECRET_ARN,
        }),
      ]);
      expect(statements, route.operationId).toContainEqual(
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
        }),
      );
    }
  });
});

describe('least privilege (issue 19 item 10)', () => {
  it('reading an export only describes the job: no StartFHIRExportJob, no PassRole, no table writes', () => {
    const { statements } = functionOf(templatesOf(acme).functions, 'continuum-acme-getExport');
    const actions = statements.flatMap(actionsOf);
    expect(actions.filter((a) => a.startsWith('healthlake:'))).toEqual(['healthlake:DescribeFHIRExportJob']);
    for (const forbidden of [
      'iam:PassRole',
      'healthlake:StartFHIRExportJob',
      'dynamodb:DeleteItem',
      'dynamodb:UpdateItem',
    ]) {
      expect(actions).not.toContain(forbidden);
    }
  });

  it('the mirror decrypts the table and its stream only through DynamoDB', () => {
    const { statements } = functionOf([templatesOf(acme).exchange], 'continuum-acme-fhir-mirror');
    const decrypts = statements.filter((s) => actionsOf(s).includes('kms:Decrypt'));
    expect(decrypts.length).toBeGreaterThan(0);
    for (const statement of decrypts) {
      expect(Object.values((statement.Condition as Json | undefined) ?? {})).toContainEqual({
        'kms:ViaService': expect.stringMatching(/^(dynamodb|sqs)\.us-east-1\.amazonaws\.com$/),
      });
    }
    expect(decrypts.some((s) => JSON.stringify(s.Condition).includes('dynamodb.us-east-1'))).toBe(true);
  });
});

describe('the web ACL (issue 19 item 10)', () => {
  const acl = () => ofType(templatesOf(acme).stateless, 'AWS::WAFv2::WebACL')[0]?.Properties as Json;
  const rule = (name: string) => (acl().Rules as Json[]).find((r) => r.Name === name) as Json;

  it('adds the anonymous-IP and known-bad-inputs groups', () => {
    expect((acl().Rules as Json[]).map((r) => r.Name)).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesAnonymousIpList',
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'BodyTooLargeOutsideNotes',
      'RateLimitPerIp',
    ]);
    expect(rule('AWSManagedRulesAnonymousIpList').Statement).toMatchObject({
      ManagedRuleGroupStatement: {
        Name: 'AWSManagedRulesAnonymousIpList',
        RuleActionOverrides: [{ Name: 'HostingProviderIPList', ActionToUse: { Count: {} } }],
      },
    });
  });

  it('allows bodies over 8 KB on the note routes only', () => {
    expect(rule('AWSManagedRulesCommonRuleSet').Statement).toMatchObject({
      ManagedRuleGroupStatement: {
        RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      },
    });
    const statements = ((rule('BodyTooLargeOutsideNotes').Statement as Json).AndStatement as Json)
      .Statements as Json[];
    expect(statements[0]).toMatchObject({
      SizeConstraintStatement: {
        ComparisonOperator: 'GT',
        Size: 8192,
        FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
      },
    });
    const regex = (
      ((statements[1] as Json).NotStatement as Json).Statement as {
        RegexMatchStatement: { RegexString: string };
      }
    ).RegexMatchStatement.RegexString;
    expect(regex).toBe(noteRoutesPattern(routes));
    const pattern = new RegExp(regex);
    for (const path of [
      '/prod/v1/patients/01KAX/notes',
      '/v1/patients/01KAX/notes/01KAY',
      '/prod/v1/patients/01KAX/notes/01KAY/addenda',
      '/v1/note-templates',
    ]) {
      expect(pattern.test(path), path).toBe(true);
    }
    for (const path of [
      '/prod/v1/patients',
      '/v1/patients/01KAX/problems',
      '/v1/patients/01KAX/notes/01KAY/sign/x',
    ]) {
      expect(pattern.test(path), path).toBe(false);
    }
  });

  it('redacts the referer in its logs', () => {
    const [logging] = ofType(templatesOf(acme).stateless, 'AWS::WAFv2::LoggingConfiguration');
    expect(logging?.Properties.RedactedFields).toContainEqual({ SingleHeader: { Name: 'referer' } });
  });
});

describe('evidence: the CloudTrail archive (issue 19 item 9)', () => {
  it('records every management event and the table and export data events, validated and encrypted', () => {
    const { stateful } = templatesOf(acme);
    const [trail] = ofType(stateful, 'AWS::CloudTrail::Trail');
    expect(trail?.Properties).toMatchObject({
      TrailName: 'continuum-acme',
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: expect.anything(),
      CloudWatchLogsLogGroupArn: expect.anything(),
    });
    expect(trail?.Properties.EventSelectors).toBeUndefined();
    const selectors = trail?.Properties.AdvancedEventSelectors as { FieldSelectors: Json[] }[];
    expect(selectors.map((s) => s.FieldSelectors)).toEqual([
      [{ Field: 'eventCategory', Equals: ['Management'] }],
      [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] },
        { Field: 'resources.ARN', Equals: [expect.anything()] },
      ],
      [
        { Field: 'eventCategory', Equals: ['Data'] },
        { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
        { Field: 'resources.ARN', StartsWith: [expect.anything()] },
      ],
    ]);
  });

  it('delivers to a bucket whose log files nobody can delete or overwrite for the audit period', () => {
    const { stateful } = templatesOf(acme);
    const [trail] = ofType(stateful, 'AWS::CloudTrail::Trail');
    const bucketId = ((trail as Resource).Properties.S3BucketName as { Ref: string }).Ref;
    const bucket = stateful.Resources[bucketId] as Resource;
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2192 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          expect.objectContaining({
            ServerSideEncryptionByDefault: expect.objectContaining({ SSEAlgorithm: 'aws:kms' }),
          }),
        ],
      },
      LoggingConfiguration: expect.objectContaining({ LogFilePrefix: 'trail-archive/' }),
    });
  });

  it('keeps old versions of the access logs for the audit period, not 30 days', () => {
    const buckets = ofType(templatesOf(acme).stateful, 'AWS::S3::Bucket');
    for (const bucket of buckets) {
      for (const rule of ((bucket.Properties.LifecycleConfiguration as Json | undefined)?.Rules ??
        []) as Json[]) {
        if (rule.NoncurrentVersionExpiration)
          expect(rule.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 2192 });
      }
    }
  });
});

describe('alarms (issue 19 item 9)', () => {
  const alarmsOf = (template: TemplateJson) =>
    Object.fromEntries(
      ofType(template, 'AWS::CloudWatch::Alarm').map((a) => [a.Properties.AlarmName, a.Properties]),
    );

  it('on 401/403 spikes, throttling, WAF blocks, failed backups, failed audit writes and key/IAM/trail changes', () => {
    const alarms = alarmsOf(templatesOf(acme).stateless);
    for (const name of [
      'continuum-acme-api-auth-failures',
      'continuum-acme-api-throttled',
      'continuum-acme-waf-blocks',
      'continuum-acme-backup-failures',
      'continuum-acme-audit-write-failures',
      'continuum-acme-key-iam-trail-changes',
    ]) {
      expect(alarms[name], name).toBeDefined();
      expect(alarms[name]?.AlarmActions, name).toEqual([{ Ref: expect.stringMatching(/AlarmTopic/) }]);
    }
    const filters = ofType(templatesOf(acme).stateless, 'AWS::Logs::MetricFilter').map((f) => f.Properties);
    expect(filters.map((f) => f.FilterPattern)).toEqual(
      expect.arrayContaining([
        '{ ($.status = "401") || ($.status = "403") }',
        '{ $.status = "429" }',
        expect.stringContaining('ScheduleKeyDeletion'),
        expect.stringContaining('($.eventName = AttachRolePolicy)'),
        expect.stringContaining('StopLogging'),
      ]),
    );
    // Failed backup, copy and restore jobs are one metric-math alarm, not three.
    expect(alarms['continuum-acme-backup-failures']?.Metrics).toHaveLength(4);
    // Issue 15 priced the alarms: 7 tenant-wide before, 6 added, 2 per route unchanged; plus the audit
    // archiver's 3 (test/infra/audit-trail.test.ts).
    expect(Object.keys(alarms)).toHaveLength(16);
  });

  it('go to a paging endpoint besides e-mail when the tenant names one', () => {
    const subscriptions = (stacks: TenantStacks) =>
      ofType(templatesOf(stacks).stateless, 'AWS::SNS::Subscription').map((s) => s.Properties);
    expect(subscriptions(acme).map((s) => s.Protocol)).toEqual(['email']);
    expect(subscriptions(custom)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Protocol: 'email' }),
        expect.objectContaining({
          Protocol: 'https',
          Endpoint: PAGING_URL,
          RedrivePolicy: expect.anything(),
        }),
      ]),
    );
    expect(() => loadTenant('acme', { alarmPagingUrl: 'http://pager.example/x' })).toThrow(/alarmPagingUrl/);
  });
});

describe('group removal signs the user out (issue 18 finding 4)', () => {
  it('an EventBridge rule on AdminRemoveUserFromGroup of this pool invokes a function that may only sign out', () => {
    const { stateless } = templatesOf(acme);
    const [rule] = ofType(stateless, 'AWS::Events::Rule');
    expect(rule?.Properties.EventPattern).toEqual({
      source: ['aws.cognito-idp'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['cognito-idp.amazonaws.com'],
        eventName: ['AdminRemoveUserFromGroup'],
        requestParameters: { userPoolId: [expect.anything()] },
      },
    });
    const { fn, statements } = functionOf([stateless], 'continuum-acme-global-sign-out');
    expect(fn.Properties).toMatchObject({
      ReservedConcurrentExecutions: 2,
      DeadLetterConfig: expect.anything(),
    });
    const cognitoActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('cognito-idp:'));
    expect(cognitoActions).toEqual(['cognito-idp:AdminUserGlobalSignOut']);
    const signOut = statements.find((s) => actionsOf(s).includes('cognito-idp:AdminUserGlobalSignOut'));
    expect(signOut?.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/UserPool.*Arn/) });
    expect(rule?.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: { 'Fn::GetAtt': [expect.stringMatching(/GlobalSignOut/), 'Arn'] } }),
    ]);
  });
});

describe('tenants sharing an account (issue 19 item 10)', () => {
  const inRiversideAccount = (reservedConcurrency: number) => ({
    ...loadTenant('acme', {
      account: '222222222222',
      region: 'us-west-2',
      functions: { reservedConcurrency },
      cognito: { ...loadTenant('acme').settings.cognito, domainPrefix: 'continuum-acme-neighbour' },
    }),
    id: 'acme-neighbour',
  });

  it('are warned about at synth', () => {
    const app = new App({ context: { ...projectContext(), 'aws:cdk:bundling-stacks': [] } });
    const { stateless } = addTenant(app, inRiversideAccount(1), {
      routes: routes.filter((r) => ['sharing', 'system'].includes(contextOf(r))),
    });
    Annotations.fromStack(stateless).hasWarning(
      '*',
      Match.stringLikeRegexp('shares AWS account 222222222222 with riverside-clinic'),
    );
    const alone = addTenant(
      app,
      {
        ...loadTenant('acme', {
          account: '444444444444',
          cognito: { ...loadTenant('acme').settings.cognito, domainPrefix: 'continuum-acme-alone' },
        }),
        id: 'acme-alone',
      },
      { routes: routes.filter((r) => ['sharing', 'system'].includes(contextOf(r))) },
    );
    Annotations.fromStack(alone.stateless).hasNoWarning('*', Match.stringLikeRegexp('shares AWS account'));
  });

  it('count their reserved concurrency together against the account quota', () => {
    const riverside = reservedConcurrencyOf(loadTenant('riverside-clinic').settings, routes.length);
    // The smallest per-function reservation that fits alone but not beside riverside-clinic.
    let perFunction = 1;
    while (reservedConcurrencyOf(inRiversideAccount(perFunction).settings, routes.length) + riverside <= 900)
      perFunction++;
    const greedy = inRiversideAccount(perFunction);
    expect(reservedConcurrencyOf(greedy.settings, routes.length)).toBeLessThanOrEqual(900);
    expect(() => addTenant(new App(), greedy)).toThrow(TenantConfigError);
    expect(() => addTenant(new App(), greedy)).toThrow(/together with riverside-clinic/);
  });
});
