// RFC 9457 problem details: the single place where errors become HTTP responses.
// https://www.rfc-editor.org/rfc/rfc9457
import type { APIGatewayProxyResult } from 'aws-lambda';
import { ContinuumError, type FieldIssue } from '../errors.ts';

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

/**
 * Maps any thrown value to a problem. Known errors keep their detail and field list; anything else becomes
 * a bare 500 with the request id only, so no internal detail (or PHI inside it) reaches the client.
 */
export function toProblem(error: unknown, requestId: string, instance?: string): APIGatewayProxyResult {
  if (error instanceof ContinuumError) {
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
