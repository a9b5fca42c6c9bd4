// The HTTP middleware stack every route handler uses: a route definition plus one use-case call.
// Order: header normalisation → CORS and security headers (also on errors) → problem+json error handler →
// authentication (principal) → role and object-level policy → JSON body (256 KB) → zod validation (strict) →
// If-Match / Idempotency-Key → the use case. The error handler also completes the audit trail: denials,
// failures of a use case that ran, and idempotent replays are filed under the patient the request touched.
// https://middy.js.org/docs/intro/
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj, type Request } from '@middy/core';
import httpCors from '@middy/http-cors';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type * as z from 'zod';
import {
  type AuditEvent,
  type AuditOutcome,
  type AuditScope,
  actorOf,
  newAuditScope,
  recordAudit,
  withAuditScope,
} from '../audit.ts';
import { authorize, mayCall } from '../auth/policy.ts';
import { type Principal, principalFromEvent } from '../auth/principal.ts';
import { config } from '../config.ts';
import {
  ConcealedDenialError,
  ContinuumError,
  type FieldIssue,
  ForbiddenError,
  MalformedRequestError,
  PayloadTooLargeError,
  PreconditionRequiredError,
  ServiceUnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../errors.ts';
import {
  findStoredResponse,
  fingerprint,
  type IdempotencyRequest,
  IdempotentReplay,
  type StoredRequest,
} from '../idempotency.ts';
import { ID_PATTERN } from '../ids.ts';
import { logger } from '../logger.ts';
import { SERVER_OWNED_FIELDS } from '../schemas.ts';
import { tracing } from '../tracing.ts';
import { known, toProblem } from './problem.ts';
import type { HttpResult } from './result.ts';
import type { AnyRoute } from './route.ts';

export const MAX_BODY_BYTES = 256 * 1024;

type Infer<S> = [NonNullable<S>] extends [z.ZodType] ? z.output<NonNullable<S>> : undefined;

export type HandlerInput<R extends AnyRoute> = {
  params: Infer<R['request']['params']>;
  query: Infer<R['request']['query']>;
  body: Infer<R['request']['body']>;
  /** The caller; an anonymous principal with no roles on public routes. */
  principal: Principal;
  requestId: string;
  idempotency?: IdempotencyRequest;
  headers: Record<string, string | undefined>;
} & (R extends { requiresIfMatch?: true }
  ? /** The version the client read (`If-Match`): the stack answers 428 before the use case when it is absent. */
    { expectedVersion: number }
  : /** The version the client read, when sent on a route that accepts `If-Match`. */
    { expectedVersion?: number });

interface State {
  started: number;
  requestId: string;
  principal?: Principal;
  input?: HandlerInput<AnyRoute>;
  /** The patients this request touches, and which of them have an audit record for it already. */
  scope: AuditScope;
  /** The request's path once its parameters validated; until then the route's template, so no bad value echoes. */
  instance?: string;
  /** Set when the use case starts: an error from then on is the request's failure, audited as such. */
  inUseCase: boolean;
}

type Event = APIGatewayProxyEvent;
type Req = Request<Event, APIGatewayProxyResult, Error, Context>;
const states = new WeakMap<Event, State>();

function state(request: Req): State {
  let s = states.get(request.event);
  if (!s) {
    s = {
      started: performance.now(),
      requestId: request.event.requestContext?.requestId ?? request.context?.awsRequestId ?? 'unknown',
      scope: newAuditScope(),
      inUseCase: false,
    };
    states.set(request.event, s);
  }
  return s;
}

function parseIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new PreconditionRequiredError('This update needs If-Match with the ETag you read', [
      { field: 'headers.if-match', message: 'Required' },
    ]);
  }
  const match = /^\s*(?:W\/)?"(\d{1,15})"\s*$/.exec(header);
  if (!match) {
    throw new PreconditionRequiredError('If-Match must be the ETag of the record, e.g. "3"', [
      { field: 'headers.if-match', message: 'Must be an ETag such as "3"' },
    ]);
  }
  return Number(match[1]);
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,255}$/;

function issuesOf(part: string, error: z.ZodError): FieldIssue[] {
  return error.issues.flatMap((issue) => {
    const base = [part, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: `${base}.${key}`,
        message: SERVER_OWNED_FIELDS.includes(key) ? 'Set by the server; do not send it' : 'Unknown field',
      }));
    }
    return [{ field: base, message: issue.message }];
  });
}

function parse(part: string, schema: z.ZodType | undefined, value: unknown, issues: FieldIssue[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  issues.push(...issuesOf(part, result.error));
  return undefined;
}

function readBody(event: Event, route: AnyRoute): unknown {
  if (!route.request.body) return undefined;
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const limit = route.request.maxBodyBytes ?? MAX_BODY_BYTES;
  if (Buffer.byteLength(text, 'utf8') > limit) {
    throw new PayloadTooLargeError(`The body is larger than ${limit} bytes`, [
      { field: 'body', message: `At most ${limit} bytes` },
    ]);
  }
  if (text.trim() === '') return undefined;
  const contentType = event.headers?.['content-type'] ?? '';
  const declared = route.request.bodyContentType;
  if (declared) {
    // A file body (an X12 interchange): its own media type, handed to the schema as text.
    if (contentType.split(';')[0]?.trim().toLowerCase() !== declared.toLowerCase()) {
      throw new UnsupportedMediaTypeError(`Send the body as ${declared}`, [
        { field: 'headers.content-type', message: `Must be ${declared}` },
      ]);
    }
    return text;
  }
  if (!/^application\/([a-z.+-]*\+)?json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Send the body as application/json', [
      { field: 'headers.content-type', message: 'Must be application/json' },
    ]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedRequestError('The body is not valid JSON', [
      { field: 'body', message: 'Malformed JSON' },
    ]);
  }
}

function continuumMiddleware(route: AnyRoute): MiddlewareObj<Event, APIGatewayProxyResult, Error, Context> {
  return {
    before: async (request) => {
      const s = state(request);
      const { event } = request;
      const headers = event.headers ?? {};
      const principal: Principal =
        route.auth === 'public'
          ? { sub: 'anonymous', username: 'anonymous', roles: [] }
          : principalFromEvent(event);
      s.principal = principal;
      logger.appendKeys({ requestId: s.requestId, operation: route.operationId });

      const issues: FieldIssue[] = [];
      const params = parse('params', route.request.params, event.pathParameters ?? {}, issues);
      if (issues.length === 0) s.instance = event.path ?? route.path;
      if (route.auth === 'cognito') {
        const patientIdParam = route.audit?.patientIdParam;
        if (patientIdParam) {
          const patientId =
            issues.length === 0 ? (params as Record<string, string>)[patientIdParam] : undefined;
          touch(s.scope, patientId);
          const decision = authorize(principal, route.roles, patientId !== undefined ? { patientId } : {});
          if (decision === 'conceal') throw new ConcealedDenialError('No such record');
          if (decision === 'deny') throw new ForbiddenError('Your role may not do this');
        } else if (!mayCall(principal, route.roles)) {
          // No patient in the path: the role gate here, the object check in the use case.
          throw new ForbiddenError('Your role may not do this');
        }
      }
      const query = parse('query', route.request.query, event.queryStringParameters ?? {}, issues);
      const body = parse('body', route.request.body, readBody(event, route), issues);
      if (issues.length > 0) throw new ValidationError(issues);
      // A `patientId` in the query or body names the patient the request is about (booking, the audit log).
      touch(s.scope, (query as { patientId?: unknown } | undefined)?.patientId);
      touch(s.scope, (body as { patientId?: unknown } | undefined)?.patientId);

      const input: HandlerInput<AnyRoute> = {
        params,
        query,
        body,
        principal,
        requestId: s.requestId,
        headers,
      };
      if (route.requiresIfMatch || (route.acceptsIfMatch && headers['if-match'] !== undefined))
        input.expectedVersion = parseIfMatch(headers['if-match']);
      const key = headers['idempotency-key'];
      if (route.idempotent && key !== undefined) {
        if (!IDEMPOTENCY_KEY.test(key)) {
          throw new ValidationError([
            { field: 'headers.idempotency-key', message: 'Must be 8 to 255 visible ASCII characters' },
          ]);
        }
        input.idempotency = {
          key,
          scope: `${principal.sub}#${route.operationId}`,
          fingerprint: fingerprint(route.method, event.path ?? route.path, body),
        };
      }
      s.input = input;
    },
  };
}

function render(result: HttpResult, extraHeaders: Record<string, string> = {}): APIGatewayProxyResult {
  const hasBody = result.raw !== undefined || result.body !== undefined;
  return {
    statusCode: result.status,
    ...(result.base64 ? { isBase64Encoded: true } : {}),
    headers: {
      ...(hasBody ? { 'Content-Type': result.contentType ?? 'application/json' } : {}),
      'Cache-Control': 'no-store',
      ...result.headers,
      ...extraHeaders,
    },
    body: result.raw ?? (result.body === undefined ? '' : JSON.stringify(result.body)),
  };
}

function errorMiddleware(route: AnyRoute): MiddlewareObj<Event, APIGatewayProxyResult, Error, Context> {
  const finish = (request: Req) => {
    const s = state(request);
    logger.info('request', {
      status: request.response?.statusCode,
      durationMs: Math.round(performance.now() - s.started),
    });
  };
  return {
    after: async (request) => finish(request),
    onError: async (request) => {
      const s = state(request);
      const instance = s.instance ?? route.path;
      let error: unknown = request.error;
      const idempotency = s.input?.idempotency;
      // A retried POST whose first attempt succeeded can break a rule on its second run (the slot is now taken by
      // its own booking, the appointment is already cancelled): if a response was stored for the key, that is it.
      if (s.inUseCase && idempotency && mayBeReplay(error)) {
        const stored = await findStoredResponse(idempotency).catch(() => undefined);
        if (stored) error = new IdempotentReplay(stored, idempotency);
      }
      if (error instanceof IdempotentReplay) {
        if (error.stored.fingerprint === error.request.fingerprint) {
          request.response = await replay(route, s, error.stored, instance);
          finish(request);
          return;
        }
        error = new UnprocessableError('This Idempotency-Key was already used for a different request', [
          { field: 'headers.idempotency-key', message: 'Already used with another body' },
        ]);
      }
      const mapped = known(error);
      if (mapped instanceof ForbiddenError || mapped instanceof ConcealedDenialError) {
        await auditOutcome(route, s, 'denied', deniedPatients(route, request.event, s.scope));
      } else if (s.inUseCase) {
        if (mapped instanceof ServiceUnavailableError && mapped.reason === 'unreachable') {
          // The audit record could not be written either; the log line carries the request id.
          logger.warn('failed request not audited: the database is unreachable', {
            operation: route.operationId,
          });
        } else {
          await auditOutcome(route, s, 'failure', [...s.scope.patients]);
        }
      }
      if (mapped instanceof ServiceUnavailableError) {
        logger.warn('database unavailable', { reason: mapped.reason, ...errorFacts(error) });
      } else if (!mapped) {
        // Name and stack frames only: an unknown error's message may carry data from the request.
        logger.error('unhandled error', {
          errorName: (error as Error | undefined)?.name,
          stack: (error as Error | undefined)?.stack?.split('\n').slice(1, 8).join('\n'),
        });
      }
      request.response = toProblem(error, s.requestId, instance);
      finish(request);
    },
  };
}

/** Errors a use case throws when it re-runs an already completed request: a stored response may answer them. */
function mayBeReplay(error: unknown): boolean {
  return (
    error instanceof ContinuumError &&
    !(error instanceof ForbiddenError) &&
    !(error instanceof ConcealedDenialError) &&
    !(error instanceof ServiceUnavailableError)
  );
}

/** Error name and network code, never the message (it may hold request data). */
function errorFacts(error: unknown): Record<string, string> {
  const e = error as { name?: unknown; code?: unknown } | undefined;
  return {
    ...(typeof e?.name === 'string' ? { errorName: e.name } : {}),
    ...(typeof e?.code === 'string' ? { errorCode: e.code } : {}),
  };
}

function touch(scope: AuditScope, patientId: unknown): void {
  if (typeof patientId === 'string' && ID_PATTERN.test(patientId)) scope.patients.add(patientId);
}

/**
 * The patients a denied request reached for. A denial happens before validation, so besides what the scope knows
 * (the path's patient, a record the use case loaded) it reads a well-formed `patientId` from the raw query and body.
 */
function deniedPatients(route: AnyRoute, event: Event, scope: AuditScope): string[] {
  const found = new Set(scope.patients);
  const add = (value: unknown) => {
    if (typeof value === 'string' && ID_PATTERN.test(value)) found.add(value);
  };
  const patientIdParam = route.audit?.patientIdParam;
  if (patientIdParam) add(event.pathParameters?.[patientIdParam]);
  add(event.queryStringParameters?.patientId);
  if (route.request.body && event.body) {
    try {
      const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
      if (Buffer.byteLength(text, 'utf8') <= MAX_BODY_BYTES) {
        const parsed = JSON.parse(text) as unknown;
        if (parsed && typeof parsed === 'object') add((parsed as { patientId?: unknown }).patientId);
      }
    } catch {
      // Not JSON: no patient to name.
    }
  }
  return [...found];
}

/**
 * Files a denial or failure: one record per patient the request touched. A denial that names no patient is still
 * filed (in the practice's partition); a failure that names none is filed only on routes that handle PHI.
 * If the write fails, the response stands and the log says so.
 */
async function auditOutcome(route: AnyRoute, s: State, outcome: AuditOutcome, patients: string[]) {
  const action = route.audit?.action ?? route.operationId;
  const resourceType = route.audit?.resourceType ?? 'Route';
  const events: AuditEvent[] = patients.map((patientId) => ({
    action,
    resourceType,
    patientId,
    outcome,
  }));
  if (events.length === 0 && (outcome === 'denied' || route.audit)) {
    events.push({ action, resourceType, outcome });
  }
  try {
    await recordAudit(events, actorOf(s.principal, s.requestId));
  } catch (auditError) {
    logger.error(`${outcome} request audit failed`, errorFacts(auditError));
  }
}

/**
 * Answers a replay with the stored response, audited as the first request was (marked as a replay): it
 * discloses the record again. Like a read, it fails closed when the audit record cannot be written.
 */
async function replay(
  route: AnyRoute,
  s: State,
  stored: StoredRequest,
  instance: string,
): Promise<APIGatewayProxyResult> {
  const remembered = stored.audit ?? [];
  const events: AuditEvent[] =
    remembered.length > 0
      ? remembered.map((e) => ({ ...e, outcome: 'success', replayed: true }))
      : [...s.scope.patients].map((patientId) => ({
          action: route.audit?.action ?? route.operationId,
          resourceType: route.audit?.resourceType ?? 'Route',
          patientId,
          outcome: 'success',
          replayed: true,
        }));
  try {
    await recordAudit(events, actorOf(s.principal, s.requestId));
  } catch (auditError) {
    if (!known(auditError)) logger.error('replay audit failed', errorFacts(auditError));
    return toProblem(auditError, s.requestId, instance);
  }
  const { response } = stored;
  return render(
    { status: response.status, body: response.body, headers: response.headers },
    { 'Idempotent-Replayed': 'true' },
  );
}

/** Builds a route's Lambda handler: the middleware stack around one use-case call. */
export function httpHandler<R extends AnyRoute>(
  route: R,
  useCase: (input: HandlerInput<R>) => Promise<HttpResult>,
  options: { securityHeaders?: Parameters<typeof httpSecurityHeaders>[0] } = {},
) {
  const { CORS_ORIGINS } = config();
  const origins = CORS_ORIGINS.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return middy<Event, APIGatewayProxyResult, Error, Context>()
    .use(tracing())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(
      httpCors({
        origins,
        headers: 'Authorization,Content-Type,Idempotency-Key,If-Match',
        exposeHeaders: 'ETag,Location,Idempotent-Replayed',
        methods: route.method,
        maxAge: 600,
      }),
    )
    .use(httpSecurityHeaders(options.securityHeaders))
    .use(errorMiddleware(route))
    .use(continuumMiddleware(route))
    .handler(async (_event, _context, { signal: _signal }) => {
      // biome-ignore lint/style/noNonNullAssertion: set by continuumMiddleware.before, which always runs first.
      const s = states.get(_event)!;
      // biome-ignore lint/style/noNonNullAssertion: as above.
      const input = s.input!;
      s.inUseCase = true;
      const result = await withAuditScope(s.scope, () => useCase(input as HandlerInput<R>));
      // A request that touched a patient leaves a record even if the use case wrote none for that patient.
      const unrecorded = [...s.scope.patients].filter((p) => !s.scope.recorded.has(p));
      if (unrecorded.length > 0) {
        logger.warn('use case left a patient unaudited', { operation: route.operationId });
        await recordAudit(
          unrecorded.map((patientId) => ({
            action: route.audit?.action ?? route.operationId,
            resourceType: route.audit?.resourceType ?? 'Route',
            patientId,
            outcome: result.status < 400 ? 'success' : 'failure',
          })),
          actorOf(s.principal, s.requestId),
        );
      }
      const declared = route.responses[result.status];
      if (!declared) throw new Error(`Undeclared status ${result.status}`);
      if (declared.schema && result.raw === undefined) {
        // The response goes out as its schema's output: stable field order, and no stored attribute the
        // contract does not name can leak.
        const checked = declared.schema.safeParse(result.body);
        if (!checked.success) {
          throw new Error(
            `Response breaks its schema at ${issuesOf('response', checked.error).map((i) => i.field)}`,
          );
        }
        result.body = checked.data;
      }
      return render(result);
    });
}
