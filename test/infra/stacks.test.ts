// Template assertions on one tenant's two stacks: the data is encrypted, recoverable and retained; every
// non-public method is behind Cognito; one Node 24 arm64 function per route with least-privilege table
// access; encrypted logs with retention; WAF on the stage.
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { ROLES } from '#shared/auth/roles.ts';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/route-function.ts';
import type { TenantStacks } from '../../infra/tenant.ts';
import { asArray, buildApp, methodPaths, statements, templateOf } from './build.ts';

type Json = Record<string, unknown>;

let stacks: TenantStacks;
let stateful: Template;
let stateless: Template;
let statelessJson: { Resources: Record<string, Json> };
/** The per-context nested stacks that hold the functions. */
let functionStacks: Template[];
/** Every resource of a type across the function stacks. */
const inFunctionStacks = (type: string): Json[] =>
  functionStacks.flatMap((t) => Object.values(t.findResources(type)) as Json[]);

let app: ReturnType<typeof buildApp>['app'];

beforeAll(() => {
  const built = buildApp(['acme']);
  app = built.app;
  const { tenants } = built;
  stacks = tenants.acme as TenantStacks;
  stateful = templateOf(app, stacks.stateful);
  stateless = templateOf(app, stacks.stateless);
  statelessJson = stateless.toJSON() as typeof statelessJson;
  functionStacks = stacks.stateless.functionStacks.map((s) => templateOf(app, s));
});

describe('the stateful stack', () => {
  it('keeps the table on demand, KMS-encrypted, point-in-time recoverable, deletion-protected and retained', () => {
    stateful.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        TableName: 'continuum-acme',
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        GlobalSecondaryIndexes: [
          Match.objectLike({
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
          }),
          Match.objectLike({
            IndexName: 'gsi2',
            KeySchema: [
              { AttributeName: 'gsi2pk', KeyType: 'HASH' },
              { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
            ],
          }),
        ],
        Replicas: [
          Match.objectLike({
            Region: 'us-east-1',
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
            SSESpecification: { KMSMasterKeyId: Match.anyValue() },
          }),
        ],
      }),
    });
  });

  it('retains every resource it holds, whatever happens to the stack', () => {
    const resources = Object.entries((stateful.toJSON() as { Resources: Record<string, Json> }).Resources);
    const notRetained = resources
      .filter(([, r]) => r.Type !== 'AWS::CDK::Metadata' && r.DeletionPolicy !== 'Retain')
      .map(([id]) => id);
    expect(notRetained).toEqual([]);
  });

  it('uses customer managed keys with rotation, retained', () => {
    // Data, operations, backup vault.
    stateful.resourceCountIs('AWS::KMS::Key', 3);
    stateful.allResources('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it('backs the table up with AWS Backup into an encrypted vault', () => {
    stateful.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    stateful.resourceCountIs('AWS::Backup::BackupSelection', 1);
  });

  it('has a user pool with the seven role groups, MFA, a strong password policy and no self sign-up', () => {
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        DeletionProtection: 'ACTIVE',
        Policies: Match.objectLike({
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        }),
        Schema: Match.arrayWith([
          Match.objectLike({ Name: 'patientId', AttributeDataType: 'String' }),
          Match.objectLike({ Name: 'practitionerId', AttributeDataType: 'String' }),
        ]),
      }),
    });
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => (g.Properties as Json).GroupName,
    );
    expect(groups.sort()).toEqual([...ROLES].sort());
    stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'continuum-acme' });
  });

  it('gives the apps a public SRP client that cannot write the ids object-level access relies on', () => {
    const clients = Object.values(stateful.findResources('AWS::Cognito::UserPoolClient'));
    expect(clients).toHaveLength(1);
    const client = clients[0]?.Properties as Json;
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
    expect(client.WriteAttributes).not.toContain('custom:patientId');
    expect(client.WriteAttributes).not.toContain('custom:practitionerId');
    expect(client.ReadAttributes).toContain('custom:patientId');
  });

  it('creates a HealthLake R4 datastore with the customer managed key when the tenant says create', () => {
    stateful.hasResource('AWS::HealthLake::FHIRDatastore', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        DatastoreTypeVersion: 'R4',
        SseConfiguration: {
          KmsEncryptionConfig: { CmkType: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyId: Match.anyValue() },
        },
      }),
    });
  });

  it('generates the cursor secret, encrypted with the data key', () => {
    stateful.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64 }),
      KmsKeyId: Match.anyValue(),
    });
  });
});

describe('every log group', () => {
  it('is KMS-encrypted, has a retention and is retained', () => {
    for (const template of [stateful, stateless, ...functionStacks]) {
      const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
      expect(groups.length).toBeGreaterThan(0);
      for (const group of groups) {
        expect(group.DeletionPolicy).toBe('Retain');
        expect((group.Properties as Json).KmsKeyId).toBeDefined();
        expect((group.Properties as Json).RetentionInDays).toBeGreaterThanOrEqual(365);
      }
    }
    // One per route function in its context's stack; here the API execution logs, the global sign-out
    // function's, the X-Ray encryption call's and the audit archiver's; access, WAF and trail logs in the
    // stateful stack (billing's EDI functions have theirs in their nested stack).
    expect(Object.keys(stateless.findResources('AWS::Logs::LogGroup'))).toHaveLength(4);
    expect(inFunctionStacks('AWS::Logs::LogGroup')).toHaveLength(routes.length);
    stateful.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: 'aws-waf-logs-acme' });
  });
});

describe('the functions', () => {
  it('are one Node 24 arm64 function per route, traced, with reserved concurrency, a DLQ and its own log group', () => {
    // Here the global sign-out function, the X-Ray encryption call's provider (test/infra/edge.test.ts) and the
    // audit archiver (test/infra/audit-trail.test.ts).
    stateless.resourceCountIs('AWS::Lambda::Function', 3);
    const functions = inFunctionStacks('AWS::Lambda::Function');
    expect(functions).toHaveLength(routes.length);
    const names = functions.map((f) => (f.Properties as Json).FunctionName);
    expect(names.sort()).toEqual(routes.map((r) => `continuum-acme-${r.operationId}`).sort());
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        ReservedConcurrentExecutions: 5,
        MemorySize: 1024,
        Timeout: 10,
        DeadLetterConfig: { TargetArn: expect.anything() },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
        KmsKeyArn: expect.anything(),
      });
      const variables = ((fn.Properties as Json).Environment as { Variables: Json }).Variables;
      expect(Object.keys(variables)).toEqual(
        expect.arrayContaining([
          'TABLE_NAME',
          'CORS_ORIGINS',
          'STAGE',
          'POWERTOOLS_SERVICE_NAME',
          'LOG_LEVEL',
          'COGNITO_ISSUER',
          'FHIR_BASE_URL',
          'NODE_OPTIONS',
        ]),
      );
      expect(variables.TABLE_NAME).toBe('continuum-acme');
      expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
      // The cursor secret is read at run time (test/infra/edge.test.ts), never put in the environment.
      expect(variables.CURSOR_SECRET).toBeUndefined();
    }
  });

  it('point the docs function at the Swagger UI files copied into its bundle', () => {
    const docs = inFunctionStacks('AWS::Lambda::Function').filter((f) =>
      ((f.Properties as Json).FunctionName as string).startsWith('continuum-acme-getDocs'),
    );
    expect(docs).toHaveLength(2);
    for (const fn of docs) {
      expect(((fn.Properties as Json).Environment as { Variables: Json }).Variables.DOCS_ASSETS_DIR).toBe(
        '/var/task',
      );
    }
  });
});

describe('IAM', () => {
  const policyOf = (operationId: string): Json[] => {
    const routeFunction = stacks.stateless.functions.find((f) => f.route.operationId === operationId);
    const policy = routeFunction?.node.findChild('Role').node.findChild('DefaultPolicy').node.defaultChild;
    const stack = Stack.of(policy as CfnElement);
    const index = stacks.stateless.functionStacks.indexOf(
      stack as (typeof stacks.stateless.functionStacks)[number],
    );
    const template = functionStacks[index]?.toJSON() as { Resources: Record<string, Json> };
    const properties = template.Resources[stack.getLogicalId(policy as CfnElement)]?.Properties ?? {};
    return ((properties as Json).PolicyDocument as { Statement: Json[] }).Statement;
  };
  const dynamoActions = (statement: Json) =>
    asArray(statement.Action as string | string[]).filter((a) => a.startsWith('dynamodb:'));

  it('never grants dynamodb:* and never Resource * on a DynamoDB action', () => {
    const all = [stateful, stateless, ...functionStacks].flatMap((t) => statements(t.toJSON() as never));
    expect(all.length).toBeGreaterThan(0);
    for (const { policy, statement } of all) {
      const actions = asArray(statement.Action as string | string[]);
      expect(actions, policy).not.toContain('dynamodb:*');
      expect(actions, policy).not.toContain('*');
      if (actions.some((a) => a.startsWith('dynamodb:'))) {
        expect(asArray(statement.Resource), policy).not.toContain('*');
      }
      // The only actions on Resource * are X-Ray's, which has no resource-level permissions.
      if (asArray(statement.Resource).includes('*')) {
        expect(
          actions.every((a) => a.startsWith('xray:')),
          `${policy} ${actions}`,
        ).toBe(true);
      }
    }
  });

  it('lets read routes write nothing but audit records (PutItem on AUDIT# keys; nothing that can delete one)', () => {
    const readRoutes = routes.filter((r) => r.tableAccess === 'read');
    expect(readRoutes.length).toBeGreaterThan(0);
    for (const route of readRoutes) {
      const writes = policyOf(route.operationId).filter((s) =>
        dynamoActions(s).some((a) => TABLE_WRITE_ACTIONS.includes(a)),
      );
      expect(writes, route.operationId).toHaveLength(1);
      expect(writes[0]).toMatchObject({
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*'] } },
      });
      expect(asArray(writes[0]?.Action as string[])).toEqual(['dynamodb:PutItem']);
    }
    for (const route of routes) {
      expect(policyOf(route.operationId).flatMap(dynamoActions), route.operationId).not.toContain(
        'dynamodb:BatchWriteItem',
      );
    }
  });

  it('lets the health probes only describe the table: no item, no index, no key', () => {
    // GET /health is public: it must not be able to read a chart (issue 19).
    for (const operationId of ['getHealth', 'getHealthDetails']) {
      const tableStatements = policyOf(operationId).filter((s) => dynamoActions(s).length > 0);
      expect(tableStatements, operationId).toEqual([
        expect.objectContaining({ Action: 'dynamodb:DescribeTable', Resource: expect.anything() }),
      ]);
      expect(JSON.stringify(tableStatements[0]?.Resource)).not.toContain('/index/');
      const kms = policyOf(operationId).filter((s) =>
        asArray(s.Action as string | string[]).some((a) => a.startsWith('kms:')),
      );
      // Only the dead-letter queue's encryption through SQS, as every function.
      for (const statement of kms) expect(JSON.stringify(statement.Condition)).toContain('sqs.');
    }
  });

  it('gives write routes read and write item actions, no route Scan, and none-routes no table access', () => {
    for (const route of routes) {
      const actions = policyOf(route.operationId).flatMap(dynamoActions);
      expect(actions, route.operationId).not.toContain('dynamodb:Scan');
      if (route.tableAccess === 'none') expect(actions, route.operationId).toEqual([]);
      if (route.tableAccess === 'write')
        expect(actions, route.operationId).toEqual(expect.arrayContaining(TABLE_WRITE_ACTIONS));
    }
  });
});

describe('the API', () => {
  it('keeps every template well under the CloudFormation limit of 500 resources', () => {
    for (const template of [stateful, stateless, ...functionStacks]) {
      // Nearing 500 means the API (or a context's nested stack) needs splitting further: see docs/deploy.md and
      // decision 48. The stateless template holds 472 with every context's methods (models already moved out).
      expect(Object.keys((template.toJSON() as { Resources: Json }).Resources).length).toBeLessThan(480);
    }
  });

  it('lets each function be invoked only by its own method, through a proxy integration', () => {
    const permissions = inFunctionStacks('AWS::Lambda::Permission');
    expect(permissions).toHaveLength(routes.length);
    const sources = permissions.map((p) => JSON.stringify((p.Properties as Json).SourceArn));
    for (const route of routes) {
      const path = route.path.replace(/\{[^}]+\}/g, '*');
      expect(
        sources.some((s) => s.endsWith(`/prod/${route.method}${path}"]]}`)),
        route.operationId,
      ).toBe(true);
    }
    for (const { properties } of methodPaths(statelessJson).filter((m) => m.method !== 'OPTIONS')) {
      expect(properties.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    }
  });

  it('has one method per route, and the Cognito authorizer on every one but the public ones', () => {
    const methods = methodPaths(statelessJson).filter((m) => m.method !== 'OPTIONS');
    expect(methods.map((m) => `${m.method} ${m.path}`).sort()).toEqual(
      routes.map((r) => `${r.method} ${r.path}`).sort(),
    );
    const publicPaths: string[] = [];
    for (const { path, properties } of methods) {
      if (properties.AuthorizationType === 'NONE') {
        publicPaths.push(path);
        continue;
      }
      expect(properties.AuthorizationType, path).toBe('COGNITO_USER_POOLS');
      expect(properties.AuthorizerId, path).toEqual({ Ref: expect.stringMatching(/Authorizer/) });
    }
    expect(publicPaths.sort()).toEqual(['/docs', '/docs/{asset}', '/health', '/openapi.json']);
    stateless.resourceCountIs('AWS::ApiGateway::Authorizer', 1);
    stateless.hasResourceProperties('AWS::ApiGateway::Authorizer', { Type: 'COGNITO_USER_POOLS' });
  });

  it('validates bodies against the route schema and requires path parameters', () => {
    const methods = methodPaths(statelessJson);
    const create = methods.find((m) => m.method === 'POST' && m.path === '/v1/patients');
    expect(create?.properties.RequestModels).toEqual({ 'application/json': expect.anything() });
    expect(create?.properties.RequestValidatorId).toBeDefined();
    const asset = methods.find((m) => m.method === 'GET' && m.path === '/docs/{asset}');
    expect(asset?.properties.RequestParameters).toEqual({ 'method.request.path.asset': true });
    stateless.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    // The models live in a nested stack of their own (the API's template would pass 500 resources); the method
    // names its model, and depends on that stack so the model exists first.
    const models = templateOf(app, stacks.stateless.api.models);
    expect(create?.properties.RequestModels).toEqual({ 'application/json': 'createPatientBody' });
    stateless.resourceCountIs('AWS::ApiGateway::Model', 0);
    models.hasResourceProperties('AWS::ApiGateway::Model', {
      Name: 'createPatientBody',
      Schema: Match.objectLike({
        $schema: 'http://json-schema.org/draft-04/schema#',
        additionalProperties: false,
      }),
    });
  });

  it('answers its own errors as problem+json with the request id', () => {
    const responses = Object.values(stateless.findResources('AWS::ApiGateway::GatewayResponse'));
    const types = responses.map((r) => (r.Properties as Json).ResponseType);
    expect(types).toEqual(
      expect.arrayContaining(['DEFAULT_4XX', 'DEFAULT_5XX', 'UNAUTHORIZED', 'ACCESS_DENIED', 'WAF_FILTERED']),
    );
    for (const response of responses) {
      const properties = response.Properties as Json;
      expect(properties.ResponseParameters).toMatchObject({
        'gatewayresponse.header.Content-Type': "'application/problem+json'",
      });
      const template = (properties.ResponseTemplates as Json)['application/json'] as string;
      expect(template).toContain('"requestId":"$context.requestId"');
    }
  });

  it('logs JSON access lines with the route template only, does not trace and throttles the stage', () => {
    const stage = Object.values(stateless.findResources('AWS::ApiGateway::Stage'))[0]?.Properties as Json;
    expect(stage).toMatchObject({
      StageName: 'prod',
      TracingEnabled: false,
      ClientCertificateId: expect.anything(),
      MethodSettings: [
        expect.objectContaining({
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ],
    });
    const format = (stage.AccessLogSetting as Json).Format as string;
    expect(JSON.parse(format)).toMatchObject({
      requestId: '$context.requestId',
      resourcePath: '$context.resourcePath',
    });
    expect(format).not.toMatch(/\$context\.path\b|querystring|validationErrorString/i);
  });

  it('is protected by a WAF web ACL with managed rule groups and a rate limit, associated and logging', () => {
    stateless.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      // In priority order.
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesAmazonIpReputationList' },
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' },
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' },
          },
        }),
        Match.objectLike({
          Statement: { RateBasedStatement: Match.objectLike({ Limit: 1000, AggregateKeyType: 'IP' }) },
        }),
      ]),
    });
    const association = Object.values(stateless.findResources('AWS::WAFv2::WebACLAssociation'));
    expect(association).toHaveLength(1);
    expect(JSON.stringify(association[0]?.Properties ?? {})).toContain('/stages/');
    stateless.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      // The group's ARN without the :* suffix, as WAF requires.
      LogDestinationConfigs: ['arn:aws:logs:us-east-1:111111111111:log-group:aws-waf-logs-acme'],
      RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }, { QueryString: {} }]),
    });
  });

  it('sends alarms to an encrypted topic and has a dashboard', () => {
    stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@acme-health.example',
    });
    // Here: the 5xx rate, the two dead-letter queues' depth, the FHIR mirror's four (iterator age, errors,
    // failed batches, rejected resources), the six security alarms and the audit archiver's three (record
    // changed, errors, failed batches); beside each route function: its errors and throttles.
    stateless.resourceCountIs('AWS::CloudWatch::Alarm', 16);
    expect(inFunctionStacks('AWS::CloudWatch::Alarm')).toHaveLength(2 * routes.length);
    stateless.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
  });
});
