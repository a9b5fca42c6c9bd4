// The product's one error hierarchy. Domain code throws these; shared/http/problem.ts is the only place that
// turns them into HTTP (RFC 9457 problem+json). Messages must never contain PHI: name fields, not values.

export interface FieldIssue {
  /** Where the problem is, as a dotted path prefixed by the request part: `body.name.family`, `query.limit`. */
  field: string;
  message: string;
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
