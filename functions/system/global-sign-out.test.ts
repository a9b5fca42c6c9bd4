import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type GroupRemovalEvent,
  signOutRemovedUser,
  UnidentifiedUserError,
  userToSignOut,
} from './global-sign-out.ts';

const POOL = 'us-east-1_AbCdEfGhI';
const removal = (detail: Partial<GroupRemovalEvent['detail']> = {}): GroupRemovalEvent => ({
  detail: {
    eventSource: 'cognito-idp.amazonaws.com',
    eventName: 'AdminRemoveUserFromGroup',
    requestParameters: {
      userPoolId: POOL,
      username: '7c1e0a52-58f1-4d0e-9f0b-3a1f2b4c5d6e',
      groupName: 'clinician',
    },
    ...detail,
  },
});

describe('whom a group removal signs out', () => {
  it('the user the admin named, or their sub when CloudTrail hides the name', () => {
    expect(userToSignOut(removal(), POOL)).toBe('7c1e0a52-58f1-4d0e-9f0b-3a1f2b4c5d6e');
    expect(
      userToSignOut(
        removal({
          requestParameters: {
            userPoolId: POOL,
            username: 'HIDDEN_DUE_TO_SECURITY_REASONS',
            groupName: 'nurse',
          },
          additionalEventData: { sub: '0d9b7f6e-1111-4222-8333-944455556666' },
        }),
        POOL,
      ),
    ).toBe('0d9b7f6e-1111-4222-8333-944455556666');
  });

  it('nobody for a failed call or another pool; an error when the event names no one', () => {
    expect(userToSignOut(removal({ errorCode: 'UserNotFoundException' }), POOL)).toBeUndefined();
    expect(userToSignOut(removal(), 'us-east-1_Other')).toBeUndefined();
    expect(userToSignOut(removal({ eventName: 'AdminAddUserToGroup' }), POOL)).toBeUndefined();
    expect(() =>
      userToSignOut(
        removal({
          requestParameters: { userPoolId: POOL, username: 'HIDDEN_FOR_SECURITY_REASONS' },
          additionalEventData: null,
        }),
        POOL,
      ),
    ).toThrow(UnidentifiedUserError);
  });
});

/** A loopback server that speaks Cognito's JSON protocol and records what it was asked. */
describe('signing out', () => {
  const calls: { target: string | undefined; body: Record<string, string> }[] = [];
  let status = 200;
  let server: Server;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        calls.push({ target: req.headers['x-amz-target'] as string | undefined, body: JSON.parse(body) });
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/x-amz-json-1.1');
        res.end(status === 200 ? '{}' : JSON.stringify({ __type: 'UserNotFoundException', message: 'gone' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_ACCESS_KEY_ID: 'AKIDUNITTEST',
      AWS_SECRET_ACCESS_KEY: 'unit-test',
      AWS_REGION: 'us-east-1',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    calls.length = 0;
    status = 200;
  });

  it('calls AdminUserGlobalSignOut for the removed user of this pool', async () => {
    await signOutRemovedUser(removal(), POOL);
    expect(calls).toEqual([
      {
        target: 'AWSCognitoIdentityProviderService.AdminUserGlobalSignOut',
        body: { UserPoolId: POOL, Username: '7c1e0a52-58f1-4d0e-9f0b-3a1f2b4c5d6e' },
      },
    ]);
  });

  it('does nothing for a failed removal, and accepts a user deleted since', async () => {
    await signOutRemovedUser(removal({ errorCode: 'AccessDenied' }), POOL);
    expect(calls).toEqual([]);
    status = 400;
    await expect(signOutRemovedUser(removal(), POOL)).resolves.toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});
