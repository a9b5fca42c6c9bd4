// Removing a user from a group signs them out everywhere: Cognito revokes their refresh tokens, so no new ID
// token carries the old group. Triggered by CloudTrail's AdminRemoveUserFromGroup event through EventBridge
// (infra/constructs/global-sign-out.ts). An ID token already issued stays valid until it expires
// (docs/decisions.md, "Short ID tokens, refresh tokens for sessions").
import {
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { logger } from '#shared/logger.ts';

/** The part of EventBridge's "AWS API Call via CloudTrail" event this needs. */
export interface GroupRemovalEvent {
  detail: {
    eventSource?: string;
    eventName?: string;
    errorCode?: string;
    requestParameters?: { userPoolId?: string; username?: string; groupName?: string } | null;
    additionalEventData?: { sub?: string } | null;
  };
}

/** Cognito writes this instead of some user fields in CloudTrail. */
const HIDDEN = /^HIDDEN_(DUE_TO|FOR)_SECURITY_REASONS$/;

export class UnidentifiedUserError extends Error {
  override readonly name = 'UnidentifiedUserError';
}

/**
 * Whom to sign out: the username the admin named, or, where Cognito hid it in CloudTrail, the user's sub (which
 * Cognito accepts as Username). `undefined`: nothing to do (the call failed, or another pool's event).
 */
export function userToSignOut(event: GroupRemovalEvent, userPoolId: string): string | undefined {
  const { detail } = event;
  if (detail.eventName !== 'AdminRemoveUserFromGroup' || detail.errorCode) return undefined;
  if (detail.requestParameters?.userPoolId !== userPoolId) return undefined;
  const username = detail.requestParameters.username;
  if (username && !HIDDEN.test(username)) return username;
  const sub = detail.additionalEventData?.sub;
  if (sub && !HIDDEN.test(sub)) return sub;
  throw new UnidentifiedUserError(
    'AdminRemoveUserFromGroup event names no user: sign the user out by hand (docs/deploy.md#revoking-access)',
  );
}

let client: CognitoIdentityProviderClient | undefined;

export async function signOutRemovedUser(event: GroupRemovalEvent, userPoolId: string): Promise<void> {
  const username = userToSignOut(event, userPoolId);
  if (!username) return;
  client ??= new CognitoIdentityProviderClient({});
  try {
    await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
  } catch (error) {
    // Deleted since: nothing left to sign out.
    if (error instanceof UserNotFoundException) return;
    throw error;
  }
  // The group, never the user: a username can be an e-mail address.
  logger.info('signed out a user removed from a group', { group: event.detail.requestParameters?.groupName });
}
