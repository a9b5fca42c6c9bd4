// The local API Gateway: serves the route table on 127.0.0.1, verifies Cognito tokens with aws-jwt-verify as
// API Gateway's Cognito authorizer does, builds real APIGatewayProxyEvents with the authorizer claims and invokes
// the route's handler in-process.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import httpSecurityHeaders from '@middy/http-security-headers';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, Handler } from 'aws-lambda';
import { tokenClaimsProblem } from '#shared/auth/principal.ts';
import { problemResponse } from '#shared/http/problem.ts';
import type { AnyRoute } from '#shared/http/route.ts';

export interface GatewayOptions {
  port: number;
  routes: readonly AnyRoute[];
  /** Repository root: route handler paths are relative to it. */
  root: string;
  cognito: { issuer: string; clientId: string; jwksUri: string };
  corsOrigins: string[];
  /** One JSON line per request (method, route template, status, ms, request id): never paths or queries. */
  log?: (line: Record<string, unknown>) => void;
}

export interface Gateway {
  url: string;
  stop(): Promise<void>;
}

/** API Gateway REST's payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
const INTEGRATION_TIMEOUT_MS = 29_000;

interface CompiledRoute {
  route: AnyRoute;
  pattern: RegExp;
  names: string[];
}

function compile(route: AnyRoute): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a, b) => {
      names.push(a ?? b);
      return '([^/]+)';
    });
  // API Gateway (REST) routes `/docs/` to the `/docs` resource as well: one trailing slash is ignored.
  return { route, pattern: new RegExp(`^${source}/?$`), names };
}

/**
 * The security headers every handler response carries (the same middy middleware with the same defaults), so what
 * the gateway answers itself (401, 404, 405, 400, 413, 502, 500, preflights) is no weaker than a handler's answer.
 */
export function gatewaySecurityHeaders(): Record<string, string> {
  const request = { response: { statusCode: 200, headers: {} as Record<string, string> } };
  (httpSecurityHeaders().after as (r: unknown) => void)(request);
  return { ...request.response.headers, 'Cache-Control': 'no-store' };
}

/** Path parameters, percent-decoded; undefined when an escape is malformed (`%`, `%ZZ`, a cut UTF-8 sequence). */
export function decodePathValues(names: string[], values: string[]): Record<string, string> | undefined {
  try {
    return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(values[i] ?? '')]));
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function lambdaContext(route: AnyRoute, requestId: string): Context {
  const deadline = Date.now() + INTEGRATION_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `continuum-local-${route.operationId}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:continuum-local-${route.operationId}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/continuum-local-${route.operationId}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/** Claims the way API Gateway's REST Cognito authorizer passes them on: every value a string. */
function claimsForEvent(payload: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (Array.isArray(value)) out[key] = value.join(',');
    else if (typeof value === 'number')
      out[key] =
        key === 'exp' || key === 'iat' || key === 'auth_time'
          ? new Date(value * 1000).toUTCString()
          : String(value);
    else out[key] = String(value);
  }
  return out;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const compiled = options.routes.map(compile);
  const handlers = new Map<string, Promise<Handler<APIGatewayProxyEvent, APIGatewayProxyResult>>>();
  const verifier = JwtVerifier.create(
    {
      issuer: options.cognito.issuer,
      audience: options.cognito.clientId,
      jwksUri: options.cognito.jwksUri,
      // API Gateway's Cognito authorizer (without OAuth scopes) accepts ID tokens.
      // aws-jwt-verify checks `exp` only when present: a token without it would never expire. The same rule as the
      // handlers' principal check (shared/auth/principal.ts): an ID token with `exp` and `iat`.
      customJwtCheck: ({ payload }) => {
        const problem = tokenClaimsProblem(payload as Record<string, unknown>, Date.now());
        if (problem) throw new Error(`Token rejected on ${problem}`);
      },
    },
    {
      // aws-jwt-verify refuses http: JWKS URLs by default; the local issuer is plain HTTP on loopback.
      jwksCache: new SimpleJwksCache({
        fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
      }),
    },
  );
  const log = options.log ?? ((line) => process.stdout.write(`${JSON.stringify(line)}\n`));
  const securityHeaders = gatewaySecurityHeaders();

  const loadHandler = (route: AnyRoute) => {
    let loaded = handlers.get(route.handler);
    if (!loaded) {
      loaded = import(pathToFileURL(join(options.root, route.handler)).href).then(
        (m: { handler: Handler<APIGatewayProxyEvent, APIGatewayProxyResult> }) => m.handler,
      );
      handlers.set(route.handler, loaded);
    }
    return loaded;
  };

  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin && options.corsOrigins.includes(origin)
      ? {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Headers': 'Authorization,Content-Type,Idempotency-Key,If-Match',
          'Access-Control-Allow-Methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        }
      : {};

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<{ status: number; route?: string }> {
    const requestId = randomUUID();
    (res as ServerResponse & { requestId?: string }).requestId = requestId;
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    /** `own`: the gateway wrote this response itself (a handler's response already carries its headers). */
    const respond = (result: APIGatewayProxyResult, own = false) => {
      const headers: Record<string, string | string[]> = {
        ...(own ? securityHeaders : {}),
        'x-amzn-RequestId': requestId,
      };
      for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
      for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
      const body = result.isBase64Encoded
        ? Buffer.from(result.body, 'base64')
        : Buffer.from(result.body ?? '');
      res.writeHead(result.statusCode, headers);
      res.end(body);
      return { status: result.statusCode };
    };
    const problem = (
      status: number,
      title: string,
      detail: string,
      extra: Record<string, string> = {},
      errors: { field: string; message: string }[] = status === 401
        ? [{ field: 'headers.authorization', message: detail }]
        : [],
    ) =>
      respond(
        problemResponse(
          {
            type: status === 401 ? '/problems/unauthenticated' : 'about:blank',
            title,
            status,
            detail,
            requestId,
            ...(errors.length > 0 ? { errors } : {}),
          },
          { ...corsHeaders(req.headers.origin), ...extra },
        ),
        true,
      );

    const pathMatches = compiled.filter((c) => c.pattern.test(url.pathname));
    if (pathMatches.length === 0) return problem(404, 'Not found', 'No such route');
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        ...securityHeaders,
        'x-amzn-RequestId': requestId,
        ...corsHeaders(req.headers.origin),
      });
      res.end();
      return { status: 204 };
    }
    const match =
      pathMatches.find((c) => c.route.method === method) ??
      (method === 'HEAD' ? pathMatches.find((c) => c.route.method === 'GET') : undefined);
    if (!match) {
      const allow = pathMatches.map((c) => c.route.method).join(', ');
      return problem(405, 'Method not allowed', `Use ${allow}`, { Allow: allow });
    }
    const { route } = match;

    let claims: Record<string, string> | undefined;
    if (route.auth === 'cognito') {
      const header = req.headers.authorization;
      const token = header?.replace(/^Bearer\s+/i, '').trim();
      if (!token)
        return problem(
          401,
          'Authentication required',
          'Send a Cognito ID token: Authorization: Bearer <token>',
        );
      try {
        claims = claimsForEvent((await verifier.verify(token)) as Record<string, unknown>);
      } catch {
        return problem(
          401,
          'Authentication required',
          'The token is missing, expired or not valid for this API',
        );
      }
    }

    const body = await readBody(req);
    if (body === 'too-large') return problem(413, 'Payload too large', `At most ${MAX_PAYLOAD_BYTES} bytes`);
    const values = match.pattern.exec(url.pathname) ?? [];
    const pathParameters = decodePathValues(match.names, values.slice(1));
    if (!pathParameters) {
      // API Gateway answers a path it cannot decode with 400; the value itself is not echoed.
      return problem(400, 'Bad request', 'The path holds a malformed percent-escape', {}, [
        { field: 'path', message: 'Malformed percent-escape' },
      ]);
    }
    const query: Record<string, string> = {};
    const multiQuery: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) {
      query[k] = v;
      multiQuery[k] = [...(multiQuery[k] ?? []), v];
    }
    const headers: Record<string, string> = {};
    const multiHeaders: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (v === undefined) continue;
      headers[k] = Array.isArray(v) ? v.join(',') : v;
      multiHeaders[k] = Array.isArray(v) ? v : [v];
    }
    const now = Date.now();
    const event: APIGatewayProxyEvent = {
      resource: route.path,
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders: multiHeaders,
      queryStringParameters: Object.keys(query).length ? query : null,
      multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
      pathParameters: Object.keys(pathParameters).length ? pathParameters : null,
      stageVariables: null,
      body: body.length ? body.toString('utf8') : null,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        authorizer: claims ? { claims } : null,
        httpMethod: method,
        identity: {
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: req.headers['user-agent'] ?? null,
        } as APIGatewayProxyEvent['requestContext']['identity'],
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        requestId,
        requestTimeEpoch: now,
        resourceId: route.operationId,
        resourcePath: route.path,
        stage: 'local',
      },
    };

    const handler = await loadHandler(route);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('Integration timeout')), INTEGRATION_TIMEOUT_MS);
    });
    let result: APIGatewayProxyResult;
    try {
      result = (await Promise.race([
        handler(event, lambdaContext(route, requestId), () => {}),
        timeout,
      ])) as APIGatewayProxyResult;
    } catch {
      return { ...problem(502, 'Bad gateway', 'The handler failed or timed out'), route: route.operationId };
    } finally {
      clearTimeout(timer);
    }
    // A result the gateway cannot write (e.g. a header value with a line break) is the gateway's failure: 500 below.
    return { ...respond(result), route: route.operationId };
  }

  const server: Server = createServer((req, res) => {
    const started = performance.now();
    serve(req, res)
      .then(({ status, route }) =>
        log({
          level: 'INFO',
          message: 'access',
          method: req.method,
          route,
          status,
          ms: Math.round(performance.now() - started),
        }),
      )
      .catch(() => {
        // Whatever failed, the answer is a problem with the request id and the same headers as any other.
        const requestId = (res as ServerResponse & { requestId?: string }).requestId ?? randomUUID();
        if (!res.headersSent) {
          const failure = problemResponse({
            type: 'about:blank',
            title: 'Internal Server Error',
            status: 500,
            requestId,
          });
          res.writeHead(500, {
            ...securityHeaders,
            ...(failure.headers as Record<string, string>),
            'x-amzn-RequestId': requestId,
          });
          res.end(failure.body);
        } else res.end();
        log({ level: 'ERROR', message: 'access', method: req.method, status: 500 });
      });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // Import every handler now, so the first request of each route is not also a cold start.
  await Promise.all(compiled.map((c) => loadHandler(c.route)));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
