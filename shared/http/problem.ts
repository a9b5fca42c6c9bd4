// RFC 9457 problem details: the single place where errors become HTTP responses.
// https://www.rfc-editor.org/rfc/rfc9457
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ContinuumError, type FieldIssue, unavailableFrom } from '../errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
  errors?: FieldIssue[];
}

/** Problem type URIs are relative to the API and documented in docs/api.md#problems. */
export function problemType(kind: string): string {
  return `/problems/${kind}`;
}

export function problemResponse(
  problem: Problem,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, 'Cache-Control': 'no-store', ...headers },
    body: JSON.stringify(problem),
  };
}

/** The hierarchy's error for `error`: itself, or the 503 a database outage or throttling becomes. */
export function known(error: unknown): ContinuumError | undefined {
  return error instanceof ContinuumError ? error : unavailableFrom(error);
}

/**
 * Maps any thrown value to a problem. Known errors keep their detail and field list; the database being
 * unreachable, timing out or throttling is a 503 with `Retry-After`; anything else becomes a bare 500 with the
 * request id only, so no internal detail (or PHI inside it) reaches the client.
 */
export function toProblem(thrown: unknown, requestId: string, instance?: string): APIGatewayProxyResult {
  const error = known(thrown);
  if (error) {
    const problem: Problem = {
      type: problemType(error.kind),
      title: error.title,
      status: error.status,
      detail: error.message,
      requestId,
      ...(instance ? { instance } : {}),
      ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    };
    return problemResponse(problem, error.headers);
  }
  return problemResponse({ type: 'about:blank', title: 'Internal Server Error', status: 500, requestId });
}
