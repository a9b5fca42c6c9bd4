// The REST API built from the route table: one resource tree, one Lambda proxy method per route, the Cognito
// authorizer on every non-public route, request validation from the route's zod schemas, RFC 9457 problem
// bodies for API Gateway's own errors, JSON access logs without PHI, stage throttling, TLS 1.2+ only (on the
// execute-api endpoint or the tenant's own domain), CORS preflight and, for hosted-API tenants, API keys with a
// usage plan. No stage tracing: X-Ray would record full URLs and query strings (PHI).
import { createHash } from 'node:crypto';
import { Duration, NestedStack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { AnyRoute } from '#shared/http/route.ts';
import type { TenantSettings } from '../tenant-config.ts';
import { EncryptedLogGroup } from './encrypted-log-group.ts';
import { bodyModelSchema, modelName, requestParameters } from './request-models.ts';

export interface ContinuumApiProps {
  tenantId: string;
  settings: TenantSettings;
  routes: readonly AnyRoute[];
  /**
   * The ARN of a route's function. The functions live in nested stacks, which add their own invoke permission and
   * on which the caller makes each method depend.
   */
  functionArn: (route: AnyRoute) => string;
  userPool: cognito.IUserPool;
  accessLogGroup: logs.ILogGroup;
  logKey: kms.IKey;
}

/** Request headers the browser apps send (shared/http/handler.ts answers with the same list). */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match'];

/**
 * One JSON line per request. Only the resource path template ($context.resourcePath, e.g.
 * /v1/patients/{patientId}), never the path or query string, which can carry identifiers and search terms;
 * never validation error strings, which quote the rejected values.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-variables-for-access-logging.html
 */
const ACCESS_LOG_FIELDS: Record<string, string> = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  sub: '$context.authorizer.claims.sub',
  apiKeyId: '$context.identity.apiKeyId',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  protocol: '$context.protocol',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integration.latency',
  integrationStatus: '$context.integration.status',
  errorType: '$context.error.responseType',
  wafResponseCode: '$context.wafResponseCode',
  tlsVersion: '$context.tlsVersion',
};

/**
 * TLS 1.3, and TLS 1.2 with forward-secret AES-GCM suites only (no TLS 1.0/1.1, no CBC, no RSA key exchange), on
 * both the execute-api endpoint and the custom domain. Enhanced policies need an endpoint access mode; STRICT
 * also refuses requests whose SNI names another host.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-security-policies-list.html
 */
export const TLS_SECURITY_POLICY = apigateway.SecurityPolicy.TLS13_1_2_PFS_PQ_2025_09;

/**
 * 0: the authorizer checks the token on every request, so nothing is served on a cached decision after the
 * token expires (with a cache, API Gateway could honour a token for up to the TTL past its expiry). A Cognito
 * authorizer verifies the JWT itself (no Lambda, no Cognito call), so caching saved only milliseconds.
 */
export const AUTHORIZER_CACHE_TTL_SECONDS = 0;

interface ProblemShape {
  status: number;
  /** Matches the problem types of shared/errors.ts where one fits. */
  type: string;
  title: string;
  detail: string;
}

/**
 * Every gateway response type with its status (defaults as documented, except MISSING_AUTHENTICATION_TOKEN:
 * with no IAM-authorized routes it only means "no such route", so it becomes a 404).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */
const GATEWAY_PROBLEMS: [apigateway.ResponseType, ProblemShape][] = [
  [
    apigateway.ResponseType.UNAUTHORIZED,
    {
      status: 401,
      type: '/problems/unauthenticated',
      title: 'Authentication required',
      detail: 'Send a valid Cognito ID token: Authorization: Bearer <token>',
    },
  ],
  [
    apigateway.ResponseType.EXPIRED_TOKEN,
    {
      status: 403,
      type: '/problems/unauthenticated',
      title: 'Authentication required',
      detail: 'The token has expired',
    },
  ],
  [
    apigateway.ResponseType.ACCESS_DENIED,
    {
      status: 403,
      type: '/problems/forbidden',
      title: 'Not allowed',
      detail: 'The authorizer denied this request',
    },
  ],
  [
    apigateway.ResponseType.INVALID_SIGNATURE,
    {
      status: 403,
      type: '/problems/forbidden',
      title: 'Not allowed',
      detail: 'The request signature is not valid',
    },
  ],
  [
    apigateway.ResponseType.INVALID_API_KEY,
    {
      status: 403,
      type: '/problems/forbidden',
      title: 'Not allowed',
      detail: 'Send a valid API key: X-Api-Key',
    },
  ],
  [
    apigateway.ResponseType.WAF_FILTERED,
    {
      status: 403,
      type: '/problems/forbidden',
      title: 'Not allowed',
      detail: 'The request was blocked by the web application firewall',
    },
  ],
  [
    apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    { status: 404, type: '/problems/not-found', title: 'Not found', detail: 'No such route' },
  ],
  [
    apigateway.ResponseType.RESOURCE_NOT_FOUND,
    { status: 404, type: '/problems/not-found', title: 'Not found', detail: 'No such route' },
  ],
  [
    apigateway.ResponseType.BAD_REQUEST_PARAMETERS,
    {
      status: 400,
      type: '/problems/validation',
      title: 'Request validation failed',
      detail: 'A required parameter is missing',
    },
  ],
  [
    apigateway.ResponseType.BAD_REQUEST_BODY,
    {
      status: 400,
      type: '/problems/validation',
      title: 'Request validation failed',
      detail: 'The body does not match the schema of this operation (see /openapi.json)',
    },
  ],
  [
    apigateway.ResponseType.REQUEST_TOO_LARGE,
    {
      status: 413,
      type: '/problems/payload-too-large',
      title: 'Payload too large',
      detail: 'The request is larger than API Gateway accepts',
    },
  ],
  [
    apigateway.ResponseType.UNSUPPORTED_MEDIA_TYPE,
    {
      status: 415,
      type: '/problems/unsupported-media-type',
      title: 'Unsupported media type',
      detail: 'Send the body as application/json',
    },
  ],
  [
    apigateway.ResponseType.THROTTLED,
    {
      status: 429,
      type: '/problems/too-many-requests',
      title: 'Too many requests',
      detail: 'Slow down and retry later',
    },
  ],
  [
    apigateway.ResponseType.QUOTA_EXCEEDED,
    {
      status: 429,
      type: '/problems/too-many-requests',
      title: 'Too many requests',
      detail: 'The usage plan quota is used up',
    },
  ],
  [
    apigateway.ResponseType.API_CONFIGURATION_ERROR,
    { status: 500, type: 'about:blank', title: 'Internal Server Error', detail: 'The API is misconfigured' },
  ],
  [
    apigateway.ResponseType.AUTHORIZER_CONFIGURATION_ERROR,
    {
      status: 500,
      type: 'about:blank',
      title: 'Internal Server Error',
      detail: 'The authorizer could not be reached',
    },
  ],
  [
    apigateway.ResponseType.AUTHORIZER_FAILURE,
    { status: 500, type: 'about:blank', title: 'Internal Server Error', detail: 'The authorizer failed' },
  ],
  [
    apigateway.ResponseType.INTEGRATION_FAILURE,
    { status: 504, type: 'about:blank', title: 'Gateway Timeout', detail: 'The function failed' },
  ],
  [
    apigateway.ResponseType.INTEGRATION_TIMEOUT,
    {
      status: 504,
      type: 'about:blank',
      title: 'Gateway Timeout',
      detail: 'The function did not answer in time',
    },
  ],
];

/** Gateway response templates only substitute variables (no VTL), so the JSON is written out by hand. */
function problemTemplate(problem: ProblemShape): string {
  const { type, title, status, detail } = problem;
  return `{"type":${JSON.stringify(type)},"title":${JSON.stringify(title)},"status":${status},"detail":${JSON.stringify(detail)},"requestId":"$context.requestId"}`;
}

/**
 * For response types added after GATEWAY_PROBLEMS was written: the status is unknown here, so the body leaves
 * it out (it is optional in RFC 9457) and uses API Gateway's own message ($context.error.messageString is
 * quoted).
 */
const FALLBACK_PROBLEM_TEMPLATE =
  '{"type":"about:blank","title":$context.error.messageString,"requestId":"$context.requestId"}';

export class ContinuumApi extends Construct {
  readonly api: apigateway.RestApi;
  readonly stage: apigateway.Stage;
  /** Every route's method, by operationId. */
  readonly methods = new Map<string, apigateway.Method>();
  /** Subscriber API keys (hosted-API tenants only). */
  readonly apiKeys: apigateway.ApiKey[] = [];
  /** The tenant's own domain (apiDomain), when it has one. */
  readonly domain: apigateway.DomainName | undefined;
  /**
   * The request-body models, in a nested stack of their own: with every context's routes the API's methods,
   * resources and models no longer fit one template's 500 resources. Methods name their model (names are fixed,
   * `modelName`), and depend on this stack so the models exist first.
   */
  readonly models: NestedStack;

  constructor(scope: Construct, id: string, props: ContinuumApiProps) {
    super(scope, id);
    const { tenantId, settings } = props;
    const usagePlans = settings.hostedApi.usagePlans;
    const stageName = settings.stage;
    const allowHeaders = [...ALLOWED_HEADERS, ...(usagePlans ? ['X-Api-Key'] : [])];

    // API Gateway presents this certificate to HTTP backends so they can check the caller (HIPAA.Security-
    // APIGWSSLEnabled). Lambda proxy integrations do not use it; an HTTP integration to a practice system
    // would.
    const clientCertificate = new apigateway.CfnClientCertificate(this, 'ClientCertificate', {
      description: `continuum-${tenantId}`,
    });

    this.api = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `continuum-${tenantId}`,
      description: `Continuum EMR API for ${settings.displayName}`,
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Statements and CMS-1500s: handlers answer base64 with isBase64Encoded; API Gateway sends the bytes to a
      // client whose Accept names the type.
      binaryMediaTypes: ['application/pdf'],
      // The account-level role that lets API Gateway write execution logs (one per account and region).
      cloudWatchRole: true,
      deployOptions: {
        stageName,
        // Stage traces record the full request URL with its query string (patient ids, search terms): off. The
        // functions are traced by Lambda and Powertools Tracer without request data (docs/deploy.md).
        tracingEnabled: false,
        metricsEnabled: true,
        // Errors only, never request/response data: execution logs would otherwise hold PHI.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        throttlingRateLimit: settings.throttling.rateLimit,
        throttlingBurstLimit: settings.throttling.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(props.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        clientCertificateId: clientCertificate.attrClientCertificateId,
      },
      ...(settings.corsOrigins.length > 0
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: settings.corsOrigins,
              allowMethods: [...new Set(props.routes.map((r) => r.method)), 'OPTIONS'],
              allowHeaders,
              maxAge: Duration.minutes(10),
            },
          }
        : {}),
      apiKeySourceType: apigateway.ApiKeySourceType.HEADER,
      // With its own domain, the tenant's API answers there only.
      disableExecuteApiEndpoint: settings.apiDomain !== undefined,
    });
    this.stage = this.api.deploymentStage;
    const cfnApi = this.api.node.defaultChild as apigateway.CfnRestApi;
    cfnApi.securityPolicy = TLS_SECURITY_POLICY;
    cfnApi.endpointAccessMode = apigateway.EndpointAccessMode.STRICT;
    if (settings.apiDomain) {
      this.domain = new apigateway.DomainName(this, 'Domain', {
        domainName: settings.apiDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          settings.apiDomain.certificateArn,
        ),
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: TLS_SECURITY_POLICY,
        endpointAccessMode: apigateway.EndpointAccessMode.STRICT,
      });
      this.domain.addBasePathMapping(this.api, { stage: this.stage });
    }

    // API Gateway creates the execution log group itself, unencrypted and kept forever, on first use;
    // creating it first (the name is fixed by API Gateway) gives it the key and the retention.
    const executionLogs = new EncryptedLogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${stageName}`,
      encryptionKey: props.logKey,
      retentionDays: settings.auditLogRetentionDays,
    });
    this.stage.node.addDependency(executionLogs);

    this.addProblemResponses(settings.corsOrigins);
    this.models = new NestedStack(this, 'Models', {
      description: `Continuum ${tenantId}: request-body models of the API`,
    });
    this.addRoutes(props, usagePlans);
    if (usagePlans) this.addUsagePlan(tenantId, settings);
  }

  private addRoutes(props: ContinuumApiProps, usagePlans: boolean): void {
    const authorizer = new apigateway.CognitoUserPoolsAuthorizer(this, 'Authorizer', {
      authorizerName: `continuum-${props.tenantId}-cognito`,
      cognitoUserPools: [props.userPool],
      identitySource: apigateway.IdentitySource.header('Authorization'),
      resultsCacheTtl: Duration.seconds(AUTHORIZER_CACHE_TTL_SECONDS),
    });
    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const modelsStack = this.models;
    const modelSchemas: Record<string, unknown> = {};

    for (const route of props.routes) {
      const isPublic = route.auth === 'public';
      const resource = route.path === '/' ? this.api.root : this.api.root.resourceForPath(route.path);
      const body = route.request.body;
      const method = resource.addMethod(
        route.method,
        // A Lambda proxy integration by ARN (LambdaIntegration would also add the invoke permission, here, in the
        // parent stack; it sits beside the function instead).
        new apigateway.AwsIntegration({
          proxy: true,
          service: 'lambda',
          path: `2015-03-31/functions/${props.functionArn(route)}/invocations`,
        }),
        {
          operationName: route.operationId,
          ...(isPublic
            ? { authorizationType: apigateway.AuthorizationType.NONE }
            : { authorizationType: apigateway.AuthorizationType.COGNITO, authorizer }),
          apiKeyRequired: usagePlans && !isPublic,
          requestValidator: validator,
          requestParameters: requestParameters(route),
          ...(body
            ? { requestModels: { 'application/json': this.bodyModel(modelsStack, route, modelSchemas) } }
            : {}),
        },
      );
      if (body) method.node.addDependency(modelsStack);
      this.methods.set(route.operationId, method);
    }
    // A changed model must redeploy the stage, as a changed method does: the deployment's id covers the schemas.
    this.api.latestDeployment?.addToLogicalId({
      models: createHash('sha256').update(JSON.stringify(modelSchemas)).digest('hex'),
    });
  }

  /** The route's body model, created in the models stack and referred to here by its name. */
  private bodyModel(
    modelsStack: NestedStack,
    route: AnyRoute,
    schemas: Record<string, unknown>,
  ): apigateway.IModel {
    const name = modelName(route);
    const schema = bodyModelSchema(route.request.body);
    schemas[name] = schema;
    new apigateway.CfnModel(modelsStack, `Model-${route.operationId}`, {
      restApiId: this.api.restApiId,
      name,
      contentType: 'application/json',
      description: `${route.method} ${route.path} body`,
      schema,
    });
    return apigateway.Model.fromModelName(this, `ModelRef-${route.operationId}`, name);
  }

  /**
   * API Gateway's own errors as application/problem+json (RFC 9457), with the request id to quote to support.
   */
  private addProblemResponses(corsOrigins: string[]): void {
    const headers: Record<string, string> = {
      'Content-Type': "'application/problem+json'",
      'Cache-Control': "'no-store'",
      'X-Content-Type-Options': "'nosniff'",
      'Strict-Transport-Security': "'max-age=31536000; includeSubDomains'",
      // With one allowed origin the browser app can read these bodies; with several, API Gateway cannot pick
      // the caller's origin here (no VTL), so the app sees a CORS error for gateway-made errors only.
      ...(corsOrigins.length === 1 ? { 'Access-Control-Allow-Origin': `'${corsOrigins[0]}'` } : {}),
    };
    for (const [type, problem] of GATEWAY_PROBLEMS) {
      this.api.addGatewayResponse(`Problem-${type.responseType}`, {
        type,
        statusCode: String(problem.status),
        responseHeaders: headers,
        templates: { 'application/json': problemTemplate(problem) },
      });
    }
    for (const type of [apigateway.ResponseType.DEFAULT_4XX, apigateway.ResponseType.DEFAULT_5XX]) {
      this.api.addGatewayResponse(`Problem-${type.responseType}`, {
        type,
        responseHeaders: headers,
        templates: { 'application/json': FALLBACK_PROBLEM_TEMPLATE },
      });
    }
  }

  private addUsagePlan(tenantId: string, settings: TenantSettings): void {
    const { hostedApi } = settings;
    const plan = this.api.addUsagePlan('UsagePlan', {
      name: `continuum-${tenantId}`,
      description: `Hosted API subscription of ${settings.displayName}`,
      apiStages: [{ api: this.api, stage: this.stage }],
      ...(hostedApi.throttle ? { throttle: hostedApi.throttle } : {}),
      ...(hostedApi.quota
        ? { quota: { limit: hostedApi.quota.limit, period: apigateway.Period[hostedApi.quota.period] } }
        : {}),
    });
    for (const keyName of hostedApi.apiKeys) {
      // The key value is generated by API Gateway and never appears in the template; read it with
      // `aws apigateway get-api-key --include-value`.
      const key = new apigateway.ApiKey(this, `ApiKey-${keyName}`, {
        apiKeyName: `continuum-${tenantId}-${keyName}`,
        description: `Subscriber application ${keyName}`,
        enabled: true,
      });
      plan.addApiKey(key);
      this.apiKeys.push(key);
    }
  }
}
