// The product's one error hierarchy. Domain code throws these; shared/http/problem.ts is the only place that
// turns them into HTTP (RFC 9457 problem+json). Messages must never contain PHI: name fields, not values.

export interface FieldIssue {
  /** Where the problem is, as a dotted path prefixed by the request part: `body.name.family`, `query.limit`. */
  field: string;
  message: string;
  /** The named rule that failed, where a check has named rules (billing's claim scrubber). */
  rule?: string;
}

export abstract class ContinuumError extends Error {
  abstract readonly status: number;
  abstract readonly kind: string;
  abstract readonly title: string;
  readonly errors: FieldIssue[];
  readonly headers: Record<string, string>;

  constructor(detail: string, errors: FieldIssue[] = [], headers: Record<string, string> = {}) {
    super(detail);
    this.name = new.target.name;
    this.errors = errors;
    this.headers = headers;
  }
}

/** Request body is not JSON, or the content type is not JSON. */
export class MalformedRequestError extends ContinuumError {
  readonly status = 400;
  readonly kind = 'malformed-request';
  readonly title = 'Malformed request';
}

/** The request does not match the route's schema. */
export class ValidationError extends ContinuumError {
  readonly status = 400;
  readonly kind = 'validation';
  readonly title = 'Request validation failed';
  constructor(errors: FieldIssue[]) {
    super(`Invalid ${errors.map((e) => e.field).join(', ')}`, errors);
  }
}

export class AuthenticationError extends ContinuumError {
  readonly status = 401;
  readonly kind = 'unauthenticated';
  readonly title = 'Authentication required';
}

export class ForbiddenError extends ContinuumError {
  readonly status = 403;
  readonly kind = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotFoundError extends ContinuumError {
  readonly status = 404;
  readonly kind = 'not-found';
  readonly title = 'Not found';
}

export class MethodNotAllowedError extends ContinuumError {
  readonly status = 405;
  readonly kind = 'method-not-allowed';
  readonly title = 'Method not allowed';
}

export class ConflictError extends ContinuumError {
  readonly status = 409;
  readonly kind = 'conflict';
  readonly title = 'Conflict';
}

export class PreconditionFailedError extends ContinuumError {
  readonly status = 412;
  readonly kind = 'precondition-failed';
  readonly title = 'Precondition failed';
}

export class PayloadTooLargeError extends ContinuumError {
  readonly status = 413;
  readonly kind = 'payload-too-large';
  readonly title = 'Payload too large';
}

export class UnsupportedMediaTypeError extends ContinuumError {
  readonly status = 415;
  readonly kind = 'unsupported-media-type';
  readonly title = 'Unsupported media type';
}

/** Well-formed, but breaks a business rule (or reuses an Idempotency-Key with another body). */
export class UnprocessableError extends ContinuumError {
  readonly status = 422;
  readonly kind = 'unprocessable';
  readonly title = 'Unprocessable request';
}

export class PreconditionRequiredError extends ContinuumError {
  readonly status = 428;
  readonly kind = 'precondition-required';
  readonly title = 'Precondition required';
}

export class TooManyRequestsError extends ContinuumError {
  readonly status = 429;
  readonly kind = 'too-many-requests';
  readonly title = 'Too many requests';
}

/**
 * A denial that must look like "not found", so a caller cannot learn that a record exists (a patient user
 * asking for another patient). Audited as denied; answered as a plain 404.
 */
export class ConcealedDenialError extends NotFoundError {
  readonly denied = true;
}

/**
 * A dependency (DynamoDB) is unreachable, timing out or throttling us: nothing was changed, and the same request
 * may succeed later. Answered 503 with `Retry-After` (seconds).
 */
export class ServiceUnavailableError extends ContinuumError {
  readonly status = 503;
  readonly kind = 'service-unavailable';
  readonly title = 'Service unavailable';
  /** `unreachable`: no answer at all (an audit record cannot be written either); `throttled`: it said "slow down". */
  readonly reason: 'unreachable' | 'throttled';

  constructor(reason: 'unreachable' | 'throttled', retryAfterSeconds: number) {
    super('The database is not answering right now; nothing was changed. Retry after the given time', [], {
      'Retry-After': String(retryAfterSeconds),
    });
    this.reason = reason;
  }
}

// The AWS SDK's own classification of retryable errors (smithy's retry module: THROTTLING_ERROR_CODES,
// TRANSIENT_ERROR_CODES, NODEJS_TIMEOUT_ERROR_CODES, NODEJS_NETWORK_ERROR_CODES). The client has already retried
// these; when they still reach us the database is down or saturated, which the caller should hear as 503.
const THROTTLING = new Set([
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SERVER_STATUSES = new Set([500, 502, 503, 504]);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: { Code?: unknown }[];
}

function networkCode(error: SdkLikeError | undefined, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  if (typeof error.code === 'string' && NETWORK_CODES.has(error.code)) return true;
  if (Array.isArray(error.errors) && error.errors.some((e) => networkCode(e as SdkLikeError, depth + 1))) {
    return true;
  }
  return networkCode(error.cause as SdkLikeError | undefined, depth + 1);
}

/**
 * The database error behind `error`, as a ServiceUnavailableError, or undefined when `error` is something else
 * (a bug, which stays a bare 500). Throttling (including a transaction cancelled for throttling) asks the client
 * to come back in a second; no connection, a timeout or a server-side 5xx in a few seconds.
 */
export function unavailableFrom(error: unknown): ServiceUnavailableError | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as SdkLikeError;
  const name = typeof e.name === 'string' ? e.name : '';
  if (THROTTLING.has(name)) return new ServiceUnavailableError('throttled', 1);
  if (
    name === 'TransactionCanceledException' &&
    (e.CancellationReasons ?? []).some((r) => r.Code === 'ThrottlingError')
  ) {
    return new ServiceUnavailableError('throttled', 1);
  }
  if (TIMEOUTS.has(name) || networkCode(e)) return new ServiceUnavailableError('unreachable', 5);
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && SERVER_STATUSES.has(status)) {
    return new ServiceUnavailableError('unreachable', 5);
  }
  return undefined;
}
