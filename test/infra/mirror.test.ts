// The EHR-exchange mirror in AWS (issue 6): the stream consumer's function and event source mapping, its
// least-privilege role, the FHIR grants the route table asks for, the health probe's capability grant, and the
// mirror's alarms. One app, two tenants, each with its own datastore; riverside-clinic overrides the mirror
// settings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { mirroredItemTypes } from '#functions/sharing/registry.ts';
import { MIRROR_METRICS } from '#shared/metrics.ts';
import { HEALTHLAKE_ACTIONS } from '../../infra/constructs/fhir-access.ts';
import { MIRROR_TABLE_ACTIONS, mirrorFilters } from '../../infra/constructs/fhir-mirror.ts';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/route-function.ts';
import { contextOf } from '../../infra/stacks/functions-stack.ts';
import { addTenant, projectContext, type TenantStacks } from '../../infra/tenant.ts';
import { loadTenant } from '../../infra/tenant-config.ts';
import { asArray, synthOutdir } from './build.ts';

type Json = Record<string, unknown>;
type Resources = Record<string, Json & { Type: string; Properties: Json }>;
interface TemplateJson {
  Resources: Resources;
}

const RIVERSIDE_MIRROR = {
  batchSize: 50,
  maxBatchingWindowSeconds: 5,
  retryAttempts: 2,
  maxRecordAgeSeconds: 3600,
};

let tenants: Record<string, TenantStacks>;
let outdir: string;
const read = (file: string): TemplateJson => JSON.parse(readFileSync(join(outdir, file), 'utf8'));
const parentOf = (id: string) => read((tenants[id] as TenantStacks).stateless.templateFile);
const exchangeOf = (id: string) => read((tenants[id] as TenantStacks).stateless.exchange.templateFile);
const functionStacksOf = (id: string) =>
  (tenants[id] as TenantStacks).stateless.functionStacks.map((s) => read(s.templateFile));
const allTemplatesOf = (id: string): TemplateJson[] => {
  const stacks = tenants[id] as TenantStacks;
  return [read(stacks.stateful.templateFile), parentOf(id), exchangeOf(id), ...functionStacksOf(id)];
};
const ofType = (template: TemplateJson, type: string) =>
  Object.entries(template.Resources).filter(([, r]) => r.Type === type);

/** The statements of every policy attached to the role of the function with this physical name. */
function statementsOfFunction(templates: TemplateJson[], name: string): Json[] {
  for (const template of templates) {
    const fn = ofType(template, 'AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === name);
    if (!fn) continue;
    const roleId = ((fn[1].Properties.Role as Json)['Fn::GetAtt'] as string[])[0];
    return ofType(template, 'AWS::IAM::Policy')
      .filter(([, p]) => asArray(p.Properties.Roles as Json[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
  }
  throw new Error(`No function ${name}`);
}

function environmentOf(templates: TemplateJson[], name: string): Json {
  for (const template of templates) {
    const fn = ofType(template, 'AWS::Lambda::Function').find(([, r]) => r.Properties.FunctionName === name);
    if (fn) return (fn[1].Properties.Environment as { Variables: Json }).Variables;
  }
  throw new Error(`No function ${name}`);
}

const actionsOf = (statement: Json) => asArray(statement.Action as string | string[]);
const healthLakeStatements = (statements: Json[]) =>
  statements.filter((s) => actionsOf(s).some((a) => a.startsWith('healthlake:')));

/** The datastore every healthlake: grant must name, per tenant. */
function datastoreArnOf(id: string): unknown {
  return {
    'Fn::ImportValue': expect.stringMatching(
      new RegExp(`^continuum-${id}-stateful:.*FhirDatastoreDatastoreArn`),
    ),
  };
}

const RIVERSIDE_CONTEXTS = ['sharing', 'system'];

beforeAll(() => {
  outdir = synthOutdir('continuum-cdk-mirror-');
  const app = new App({ outdir, context: { ...projectContext(), 'aws:cdk:bundling-stacks': [] } });
  tenants = {
    acme: addTenant(app, loadTenant('acme')),
    // Only the contexts that use the FHIR store, to keep this synth short; acme has every route.
    'riverside-clinic': addTenant(app, loadTenant('riverside-clinic', { mirror: RIVERSIDE_MIRROR }), {
      routes: routes.filter((r) => RIVERSIDE_CONTEXTS.includes(contextOf(r))),
    }),
  };
  app.synth();
});

describe('the mirror function', () => {
  it('is one Node 24 arm64 function with the route functions’ defaults, in its own nested stack', () => {
    // The nested stack also holds the referral exchange's scheduled function (referral-exchange.test.ts).
    const functions = ofType(exchangeOf('acme'), 'AWS::Lambda::Function').filter(
      ([, r]) => r.Properties.FunctionName === 'continuum-acme-fhir-mirror',
    );
    expect(functions).toHaveLength(1);
    expect(functions[0]?.[1].Properties).toMatchObject({
      FunctionName: 'continuum-acme-fhir-mirror',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      TracingConfig: { Mode: 'Active' },
      ReservedConcurrentExecutions: 4,
      MemorySize: 256,
      Timeout: 120,
      DeadLetterConfig: { TargetArn: expect.anything() },
      LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
      KmsKeyArn: expect.anything(),
    });
    const variables = environmentOf([exchangeOf('acme')], 'continuum-acme-fhir-mirror');
    expect(variables).toMatchObject({
      TABLE_NAME: 'continuum-acme',
      FHIR_AUTH: 'sigv4',
      PRACTICE_ID: 'acme',
      FHIR_BASE_URL: expect.anything(),
      DEAD_LETTER_QUEUE_URL: expect.anything(),
    });
    const groups = ofType(exchangeOf('acme'), 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(2);
    expect(groups[0]?.[1]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: { KmsKeyId: expect.anything(), RetentionInDays: 365 },
    });
  });

  it('reads the stream in order with partial-batch failures, bisection, bounded retries and record age', () => {
    for (const [id, expected] of [
      [
        'acme',
        { batchSize: 100, maxBatchingWindowSeconds: 1, retryAttempts: 5, maxRecordAgeSeconds: 86_400 },
      ],
      ['riverside-clinic', RIVERSIDE_MIRROR],
    ] as const) {
      const mappings = ofType(exchangeOf(id), 'AWS::Lambda::EventSourceMapping');
      expect(mappings, id).toHaveLength(1);
      const mapping = mappings[0]?.[1].Properties as Json;
      expect(mapping, id).toMatchObject({
        EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/TableCD117FA1StreamArn/) },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: expected.batchSize,
        MaximumBatchingWindowInSeconds: expected.maxBatchingWindowSeconds,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: expected.retryAttempts,
        MaximumRecordAgeInSeconds: expected.maxRecordAgeSeconds,
        ParallelizationFactor: 1,
      });
      // Bounded: -1 would mean forever (until the record leaves the stream).
      expect(mapping.MaximumRetryAttempts as number).toBeGreaterThanOrEqual(0);
      expect(mapping.MaximumRetryAttempts as number).toBeLessThanOrEqual(100);
      expect(mapping.MaximumRecordAgeInSeconds as number).toBeGreaterThanOrEqual(60);
      expect(mapping.MaximumRecordAgeInSeconds as number).toBeLessThanOrEqual(86_400);
    }
  });

  it('sends the batches it gives up on to an SQS queue encrypted with KMS', () => {
    const mapping = ofType(exchangeOf('acme'), 'AWS::Lambda::EventSourceMapping')[0]?.[1].Properties as Json;
    const destination = (mapping.DestinationConfig as { OnFailure: { Destination: Json } }).OnFailure
      .Destination;
    // A parameter of the nested stack, set by the parent to the queue's ARN.
    const parameter = destination.Ref as string;
    const parent = parentOf('acme');
    const nested = ofType(parent, 'AWS::CloudFormation::Stack').find(([id]) => id.startsWith('Exchange'));
    const value = ((nested?.[1].Properties.Parameters ?? {}) as Json)[parameter] as Json;
    const queueId = (value['Fn::GetAtt'] as string[])[0] as string;
    expect((value['Fn::GetAtt'] as string[])[1]).toBe('Arn');
    const queue = parent.Resources[queueId];
    expect(queue?.Type).toBe('AWS::SQS::Queue');
    expect(queue?.Properties).toMatchObject({
      QueueName: 'continuum-acme-mirror-failed-batches',
      KmsMasterKeyId: { 'Fn::ImportValue': expect.stringMatching(/DataKey/) },
    });
    // TLS only.
    const policy = ofType(parent, 'AWS::SQS::QueuePolicy').find(([, p]) =>
      asArray(p.Properties.Queues as Json[]).some((q) => q.Ref === queueId),
    );
    expect(JSON.stringify(policy?.[1].Properties.PolicyDocument)).toContain('aws:SecureTransport');
  });

  it('passes exactly the item types of the registry, on the new or the old image', () => {
    const types = mirroredItemTypes();
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Appointment', 'SharingConsent']));
    const mapping = ofType(exchangeOf('acme'), 'AWS::Lambda::EventSourceMapping')[0]?.[1].Properties as Json;
    const patterns = (mapping.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map(
      (f) => JSON.parse(f.Pattern) as { dynamodb: Record<string, { type: { S: string[] } }> },
    );
    expect(patterns).toHaveLength(2);
    const byImage = Object.fromEntries(
      patterns.map((p) => {
        const [image, value] = Object.entries(p.dynamodb)[0] as [string, { type: { S: string[] } }];
        return [image, value.type.S];
      }),
    );
    // REMOVE records carry only the old image, INSERT only the new one: both must pass.
    expect(Object.keys(byImage).sort()).toEqual(['NewImage', 'OldImage']);
    expect([...(byImage.NewImage ?? [])].sort()).toEqual([...types].sort());
    expect([...(byImage.OldImage ?? [])].sort()).toEqual([...types].sort());
  });

  it('builds its filter from whatever list it is given, and refuses one Lambda would reject', () => {
    const filters = mirrorFilters(['Patient', 'Condition']);
    expect(filters.map((f) => JSON.parse(f.pattern as string))).toEqual([
      { dynamodb: { NewImage: { type: { S: ['Patient', 'Condition'] } } } },
      { dynamodb: { OldImage: { type: { S: ['Patient', 'Condition'] } } } },
    ]);
    expect(() => mirrorFilters([])).toThrow(/at least one/);
    const tooMany = Array.from({ length: 300 }, (_, i) => `ClinicalItemType${i}`);
    expect(() => mirrorFilters(tooMany)).toThrow(/4096/);
  });
});

describe('the mirror’s role', () => {
  for (const id of ['acme', 'riverside-clinic']) {
    it(`${id}: stream read, item reads, its queues and the one datastore; no writes, no healthlake:*`, () => {
      const statements = statementsOfFunction([exchangeOf(id)], `continuum-${id}-fhir-mirror`);
      const actions = statements.flatMap(actionsOf);
      expect(actions).not.toContain('healthlake:*');
      expect(actions).not.toContain('*');
      for (const write of [...TABLE_WRITE_ACTIONS, 'dynamodb:Scan', 'dynamodb:PartiQLUpdate']) {
        expect(actions).not.toContain(write);
      }
      expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual(
        [
          ...MIRROR_TABLE_ACTIONS,
          'dynamodb:DescribeStream',
          'dynamodb:GetRecords',
          'dynamodb:GetShardIterator',
          'dynamodb:ListStreams',
        ].sort(),
      );
      for (const statement of statements) {
        const resources = asArray(statement.Resource);
        if (actionsOf(statement).some((a) => a.startsWith('healthlake:'))) {
          expect(resources).not.toContain('*');
        }
        // Only X-Ray, which has no resource-level permissions, is on Resource *.
        if (resources.includes('*'))
          expect(actionsOf(statement).every((a) => a.startsWith('xray:'))).toBe(true);
      }
      const streamRead = statements.find((s) => actionsOf(s).includes('dynamodb:GetRecords'));
      expect(streamRead?.Resource).toEqual({ 'Fn::ImportValue': expect.stringMatching(/StreamArn/) });
      const healthLake = healthLakeStatements(statements);
      expect(healthLake).toHaveLength(1);
      expect(healthLake[0]?.Resource).toEqual(datastoreArnOf(id));
      expect(actionsOf(healthLake[0] as Json).sort()).toEqual([...HEALTHLAKE_ACTIONS.mirror].sort());
      expect(actionsOf(healthLake[0] as Json)).toContain('healthlake:ProcessBundle');
      const sends = statements.filter((s) => actionsOf(s).includes('sqs:SendMessage'));
      // Its dead-letter queue, the on-failure queue and the rejected-resources queue; nothing else of SQS.
      expect(sends).toHaveLength(3);
      expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual([
        'sqs:SendMessage',
        'sqs:SendMessage',
        'sqs:SendMessage',
      ]);
    });
  }
});

describe('the routes that use the FHIR store', () => {
  const fhirRoutes = routes.filter((r) => r.fhirAccess);

  it('are declared in the route table: backfill writes, longitudinal reads, exports export', () => {
    expect(Object.fromEntries(fhirRoutes.map((r) => [r.operationId, r.fhirAccess]))).toMatchObject({
      backfillSharing: 'write',
      getLongitudinal: 'read',
      startExport: 'export',
      getExport: 'export-status',
    });
  });

  for (const id of ['acme', 'riverside-clinic']) {
    it(`${id}: get exactly their healthlake: actions on the one datastore, and the rest none`, () => {
      const templates = functionStacksOf(id);
      const tenantRoutes = (tenants[id] as TenantStacks).stateless.functions.map((f) => f.route);
      // riverside-clinic is built with the sharing and system routes only (above).
      const expected =
        id === 'acme' ? fhirRoutes : fhirRoutes.filter((r) => RIVERSIDE_CONTEXTS.includes(contextOf(r)));
      expect(tenantRoutes.filter((r) => r.fhirAccess)).toHaveLength(expected.length);
      for (const route of tenantRoutes) {
        const name = `continuum-${id}-${route.operationId}`;
        const statements = healthLakeStatements(statementsOfFunction(templates, name));
        const access =
          route.fhirAccess ??
          (['getHealth', 'getHealthDetails'].includes(route.operationId) ? 'capabilities' : undefined);
        if (!access) {
          expect(statements, route.operationId).toEqual([]);
          continue;
        }
        expect(statements, route.operationId).toHaveLength(1);
        expect(statements[0]?.Resource, route.operationId).toEqual(datastoreArnOf(id));
        expect(actionsOf(statements[0] as Json).sort(), route.operationId).toEqual(
          [...HEALTHLAKE_ACTIONS[access]].sort(),
        );
      }
    });
  }

  it('the health probe may read the capability statement of the datastore, and nothing else there', () => {
    for (const id of ['acme', 'riverside-clinic']) {
      const statements = healthLakeStatements(
        statementsOfFunction(functionStacksOf(id), `continuum-${id}-getHealth`),
      );
      expect(statements).toEqual([
        expect.objectContaining({ Action: 'healthlake:GetCapabilities', Resource: datastoreArnOf(id) }),
      ]);
    }
  });

  it('backfill may send rejected resources; starting an export passes only the export role, only to HealthLake', () => {
    const templates = functionStacksOf('acme');
    const backfill = statementsOfFunction(templates, 'continuum-acme-backfillSharing');
    expect(backfill).toContainEqual(
      expect.objectContaining({ Sid: 'SendRejectedResources', Action: 'sqs:SendMessage' }),
    );
    expect(environmentOf(templates, 'continuum-acme-backfillSharing').DEAD_LETTER_QUEUE_URL).toBeDefined();
    for (const op of ['startExport']) {
      const name = `continuum-acme-${op}`;
      const passRole = statementsOfFunction(templates, name).filter((s) =>
        actionsOf(s).includes('iam:PassRole'),
      );
      expect(passRole).toEqual([
        expect.objectContaining({
          Resource: { 'Fn::ImportValue': expect.stringMatching(/FhirExportRole/) },
          Condition: { StringEquals: { 'iam:PassedToService': 'healthlake.amazonaws.com' } },
        }),
      ]);
      const variables = environmentOf(templates, name);
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'HEALTHLAKE_DATASTORE_ID',
          'EXPORT_S3_URI',
          'EXPORT_KMS_KEY_ID',
          'EXPORT_ROLE_ARN',
        ]),
      );
      expect(JSON.stringify(variables.EXPORT_S3_URI)).toMatch(/s3:\/\/.*ExportBucket.*\/exports/);
    }
    // Reading an export follows the job: the datastore id, no role to pass, nothing to write to
    // (test/infra/edge.test.ts has its whole policy).
    const getExport = statementsOfFunction(templates, 'continuum-acme-getExport');
    expect(getExport.filter((s) => actionsOf(s).includes('iam:PassRole'))).toEqual([]);
    expect(Object.keys(environmentOf(templates, 'continuum-acme-getExport'))).not.toContain(
      'EXPORT_ROLE_ARN',
    );
    // Only the export routes learn the datastore id (it switches exports from local files to HealthLake).
    const others = routes.filter((r) => r.fhirAccess !== 'export' && r.fhirAccess !== 'export-status');
    for (const route of others) {
      expect(
        environmentOf(templates, `continuum-acme-${route.operationId}`).HEALTHLAKE_DATASTORE_ID,
      ).toBeUndefined();
    }
  });

  it('never grant healthlake:* or a healthlake action on Resource *, anywhere', () => {
    for (const id of ['acme', 'riverside-clinic']) {
      for (const template of allTemplatesOf(id)) {
        for (const [, policy] of ofType(template, 'AWS::IAM::Policy')) {
          for (const statement of (policy.Properties.PolicyDocument as { Statement: Json[] }).Statement) {
            const actions = actionsOf(statement);
            expect(actions).not.toContain('healthlake:*');
            if (actions.some((a) => a.startsWith('healthlake:'))) {
              expect(asArray(statement.Resource)).not.toContain('*');
            }
          }
        }
      }
    }
  });
});

describe('the export bucket and role', () => {
  it('keeps exports KMS-encrypted, versioned, access-logged, private, TLS-only and retained', () => {
    const stateful = read((tenants.acme as TenantStacks).stateful.templateFile);
    const buckets = ofType(stateful, 'AWS::S3::Bucket');
    const exportBucket = buckets.find(([id]) => id.startsWith('ExportBucket'))?.[1];
    expect(exportBucket).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              BucketKeyEnabled: true,
              ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() },
            },
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: expect.anything() },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    });
    for (const [, policy] of ofType(stateful, 'AWS::S3::BucketPolicy')) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('aws:SecureTransport');
    }
    // The export bucket, its access logs, the CloudTrail archive (test/infra/edge.test.ts), the audit archive and
    // billing's EDI bucket (test/infra/billing-edi.test.ts): every one TLS-only.
    expect(ofType(stateful, 'AWS::S3::BucketPolicy')).toHaveLength(5);
  });

  it('lets only HealthLake, for this datastore, assume the export role, which writes only under exports/', () => {
    const stateful = read((tenants.acme as TenantStacks).stateful.templateFile);
    const [, role] = ofType(stateful, 'AWS::IAM::Role').find(([id]) => id.startsWith('FhirExportRole')) ?? [];
    expect(role?.Properties.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Principal: { Service: 'healthlake.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111111111111' },
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['FhirDatastore', 'DatastoreArn'] } },
          },
        },
      ],
    });
    const statements = ofType(stateful, 'AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('FhirExportRole'))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
    const put = statements.find((s) => actionsOf(s).includes('s3:PutObject'));
    expect(JSON.stringify(put?.Resource)).toContain('/exports/*');
    expect(
      statements
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('s3:'))
        .sort(),
    ).toEqual([
      's3:GetBucketPublicAccessBlock',
      's3:GetEncryptionConfiguration',
      's3:ListBucket',
      's3:PutObject',
    ]);
  });
});

describe('the mirror’s alarms', () => {
  it('watch lag, errors, failed batches and rejected resources, into the alarm topic and on the dashboard', () => {
    const parent = parentOf('acme');
    const alarms = Object.fromEntries(
      ofType(parent, 'AWS::CloudWatch::Alarm').map(([, a]) => [
        a.Properties.AlarmName as string,
        a.Properties,
      ]),
    );
    expect(alarms['continuum-acme-mirror-iterator-age']).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: 'continuum-acme-fhir-mirror' }],
      Statistic: 'Maximum',
      Threshold: 60_000,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarms['continuum-acme-mirror-errors']).toMatchObject({
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: 'continuum-acme-fhir-mirror' }],
      Threshold: 1,
    });
    for (const [name, queue] of [
      ['continuum-acme-mirror-failed-batches-depth', 'MirrorFailedBatches'],
      ['continuum-acme-fhir-rejected-depth', 'FhirRejected'],
    ] as const) {
      expect(alarms[name], name).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.stringMatching(queue), 'QueueName'] } },
        ],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
    }
    for (const name of [
      'continuum-acme-mirror-iterator-age',
      'continuum-acme-mirror-errors',
      'continuum-acme-mirror-failed-batches-depth',
      'continuum-acme-fhir-rejected-depth',
    ]) {
      expect(alarms[name]?.AlarmActions, name).toEqual([{ Ref: expect.stringMatching(/AlarmTopic/) }]);
    }
    const [, dashboard] = ofType(parent, 'AWS::CloudWatch::Dashboard')[0] ?? [];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    expect(body).toContain('FHIR mirror lag');
    // The handler's per-batch counts (embedded metrics), graphed per practice.
    for (const metric of MIRROR_METRICS) {
      expect(body).toContain(JSON.stringify(`["Continuum","${metric}","Practice","acme"`).slice(1, -1));
    }
    // The alarm status widget lists the mirror's alarms with the tenant's own.
    expect(body).toMatch(/MonitoringMirrorIteratorAge\w*","Arn"/);
    expect(body).toMatch(/MonitoringFhirRejected\w*","Arn"/);
  });
});
