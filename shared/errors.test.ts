// The one error mapping: database outages and throttling are 503 with Retry-After; bugs stay a bare 500.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ConflictError, ServiceUnavailableError, unavailableFrom } from './errors.ts';
import { toProblem } from './http/problem.ts';

function sdkError(name: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error('details that may hold request data'), { name, ...extra });
}

describe('unavailableFrom', () => {
  it.each([
    ['ThrottlingException', sdkError('ThrottlingException')],
    ['ProvisionedThroughputExceededException', sdkError('ProvisionedThroughputExceededException')],
    ['RequestLimitExceeded', sdkError('RequestLimitExceeded')],
    [
      'a transaction cancelled for throttling',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }],
      }),
    ],
  ])('%s → throttled, retry after 1 s', (_label, error) => {
    const mapped = unavailableFrom(error);
    expect(mapped).toBeInstanceOf(ServiceUnavailableError);
    expect(mapped?.reason).toBe('throttled');
    expect(mapped?.headers['Retry-After']).toBe('1');
  });

  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    ],
    ['reset', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a refused connection as the cause', new Error('wrapped', { cause: { code: 'ECONNREFUSED' } })],
    ['an AggregateError of refusals', Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }]), {})],
    ['the SDK’s request timeout', sdkError('TimeoutError')],
    ['DynamoDB’s own 500', sdkError('InternalServerError', { $metadata: { httpStatusCode: 500 } })],
    ['a 503 from the service', sdkError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } })],
  ])('%s → unreachable, retry after 5 s', (_label, error) => {
    const mapped = unavailableFrom(error);
    expect(mapped?.reason).toBe('unreachable');
    expect(mapped?.headers['Retry-After']).toBe('5');
  });

  it.each([
    ['a bug', new TypeError('x is undefined')],
    [
      'a failed condition',
      sdkError('ConditionalCheckFailedException', { $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a validation error from DynamoDB',
      sdkError('ValidationException', { $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a transaction cancelled by a condition',
      new TransactionCanceledException({
        message: 'cancelled',
        $metadata: {},
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }],
      }),
    ],
    ['not an error at all', 'boom'],
  ])('%s → not an outage', (_label, error) => {
    expect(unavailableFrom(error)).toBeUndefined();
  });
});

describe('toProblem', () => {
  it('answers an outage 503 problem+json with Retry-After, without the error’s message', () => {
    const res = toProblem(
      Object.assign(new Error('Maria Garcia'), { code: 'ECONNREFUSED' }),
      'req-1',
      '/v1/x',
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'Retry-After': '5',
      'Cache-Control': 'no-store',
    });
    const body = JSON.parse(res.body);
    expect(body).toMatchObject({ type: '/problems/service-unavailable', status: 503, requestId: 'req-1' });
    expect(res.body).not.toContain('Maria');
  });

  it('keeps a bug a bare 500 and a known error its own status', () => {
    expect(toProblem(new Error('Maria Garcia'), 'req-2').statusCode).toBe(500);
    expect(toProblem(new Error('Maria Garcia'), 'req-2').body).not.toContain('Maria');
    expect(toProblem(new ConflictError('taken'), 'req-3').statusCode).toBe(409);
  });
});
