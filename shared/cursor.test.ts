import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetConfig } from './config.ts';
import { openCursor, sealCursor } from './cursor.ts';
import { CURSOR_SECRETS_CACHE_MS, resetCursorSecrets } from './cursor-secrets.ts';
import { ValidationError } from './errors.ts';

const SECRET_A = 'unit-test-secret-a-unit-test-secret-a-0123';
const SECRET_B = 'unit-test-secret-b-unit-test-secret-b-0123';
const SECRET_C = 'unit-test-secret-c-unit-test-secret-c-0123';
const saved = { ...process.env };

function useEnv(env: Record<string, string | undefined>): void {
  for (const key of ['CURSOR_SECRET', 'CURSOR_SECRET_PREVIOUS', 'CURSOR_SECRET_ARN']) delete process.env[key];
  Object.assign(process.env, { TABLE_NAME: 'unit' }, env);
  resetConfig();
  resetCursorSecrets();
}

afterAll(() => {
  process.env = saved;
  resetConfig();
  resetCursorSecrets();
});

describe('cursors', () => {
  beforeEach(() => useEnv({ CURSOR_SECRET: SECRET_A }));

  it('round-trip for the same query and hide what they hold', async () => {
    const token = await sealCursor({ gsi2sk: 'garcia#maria#01', pk: 'PATIENT#1' }, 'q1');
    expect(token).not.toContain('garcia');
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('garcia');
    expect(await openCursor(token, 'q1')).toEqual({ gsi2sk: 'garcia#maria#01', pk: 'PATIENT#1' });
  });

  it('refuse another query, a tampered token and garbage', async () => {
    const token = await sealCursor({ a: 1 }, 'q1');
    await expect(openCursor(token, 'q2')).rejects.toThrow(ValidationError);
    const flipped = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    await expect(openCursor(flipped, 'q1')).rejects.toThrow(ValidationError);
    await expect(openCursor('nonsense', 'q1')).rejects.toThrow(ValidationError);
  });

  it('survive one rotation of the secret, not two', async () => {
    const sealedWithA = await sealCursor({ page: 2 }, 'q1');
    useEnv({ CURSOR_SECRET: SECRET_B, CURSOR_SECRET_PREVIOUS: SECRET_A });
    expect(await openCursor(sealedWithA, 'q1')).toEqual({ page: 2 });
    const sealedWithB = await sealCursor({ page: 3 }, 'q1');
    useEnv({ CURSOR_SECRET: SECRET_C, CURSOR_SECRET_PREVIOUS: SECRET_B });
    expect(await openCursor(sealedWithB, 'q1')).toEqual({ page: 3 });
    await expect(openCursor(sealedWithA, 'q1')).rejects.toThrow(ValidationError);
  });
});

/**
 * The AWS path against a loopback server that speaks Secrets Manager's JSON protocol (the SDK is pointed at it
 * with AWS_ENDPOINT_URL_SECRETS_MANAGER): versions by stage, and a count of the requests made.
 */
describe('cursors sealed with the Secrets Manager secret', () => {
  const stages: Record<string, string | undefined> = {};
  const requests: { SecretId: string; VersionStage: string }[] = [];
  let server: Server;

  beforeEach(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const input = JSON.parse(body) as { SecretId: string; VersionStage: string };
        requests.push(input);
        const value = stages[input.VersionStage];
        res.setHeader('Content-Type', 'application/x-amz-json-1.1');
        if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined) {
          res.statusCode = 400;
          res.end(JSON.stringify({ __type: 'ResourceNotFoundException', Message: 'No such version' }));
          return;
        }
        res.end(
          JSON.stringify({
            ARN: input.SecretId,
            Name: 'cursor',
            VersionId: `v-${input.VersionStage}`,
            SecretString: value,
            VersionStages: [input.VersionStage],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    useEnv({
      CURSOR_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:cursor-AbCdEf',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: 'AKIDUNITTEST',
      AWS_SECRET_ACCESS_KEY: 'unit-test',
      AWS_REGION: 'us-east-1',
    });
    requests.length = 0;
  });

  afterEach(async () => {
    vi.useRealTimers();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches AWSCURRENT and AWSPREVIOUS once per cache period and keeps cursors working across a rotation', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    stages.AWSCURRENT = SECRET_A;
    stages.AWSPREVIOUS = undefined; // a secret never rotated has no previous version
    const sealedWithA = await sealCursor({ page: 2 }, 'q1');
    expect(await openCursor(sealedWithA, 'q1')).toEqual({ page: 2 });
    expect(requests.map((r) => r.VersionStage).sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS']);

    // Rotation: B becomes current and A previous. Until the cache expires the function keeps sealing with A.
    stages.AWSCURRENT = SECRET_B;
    stages.AWSPREVIOUS = SECRET_A;
    await sealCursor({ page: 3 }, 'q1');
    expect(requests).toHaveLength(2);

    vi.setSystemTime(Date.now() + CURSOR_SECRETS_CACHE_MS + 1);
    const sealedWithB = await sealCursor({ page: 3 }, 'q1');
    expect(requests).toHaveLength(4);
    expect(await openCursor(sealedWithA, 'q1')).toEqual({ page: 2 });
    // Sealed with B: another function still on A alone could not open it, one on the new pair can.
    useEnv({ CURSOR_SECRET: SECRET_A });
    await expect(openCursor(sealedWithB, 'q1')).rejects.toThrow(ValidationError);
    useEnv({ CURSOR_SECRET: SECRET_B });
    expect(await openCursor(sealedWithB, 'q1')).toEqual({ page: 3 });
  });
});
