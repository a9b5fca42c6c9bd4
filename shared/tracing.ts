// Powertools Tracer, in Lambda only: the handler's segment (with a cold-start annotation) and a subsegment per
// DynamoDB call (operation, table, status; never keys or items). Never the response, an error's message or
// outgoing HTTPS requests: their bodies and URLs can hold PHI (issue 19 item 4). Outside Lambda nothing is
// loaded, so the local runtime and the tests do not pay for it.
// https://docs.powertools.aws.dev/lambda/typescript/latest/core/tracer/
import type { MiddlewareObj } from '@middy/core';

const enabled =
  process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined && process.env.POWERTOOLS_TRACE_ENABLED !== 'false';

const tracerModule = enabled ? await import('@aws-lambda-powertools/tracer') : undefined;
const middlewareModule = enabled ? await import('@aws-lambda-powertools/tracer/middleware') : undefined;

/** The function's tracer; undefined outside Lambda. */
export const tracer = tracerModule ? new tracerModule.Tracer({ captureHTTPsRequests: false }) : undefined;

/** An AWS SDK v3 client whose calls become subsegments (the same client, untouched, outside Lambda). */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}

/** The middy middleware that opens the handler's subsegment; none outside Lambda. */
export function tracing(): MiddlewareObj[] {
  if (!tracer || !middlewareModule) return [];
  return [middlewareModule.captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj];
}
