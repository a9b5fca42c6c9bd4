// EventBridge target: CloudTrail's AdminRemoveUserFromGroup → AdminUserGlobalSignOut for that user. A failure
// throws, so Lambda retries the asynchronous event twice and then puts it in the dead-letter queue (alarmed).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '#shared/logger.ts';
import { tracing } from '#shared/tracing.ts';
import { type GroupRemovalEvent, signOutRemovedUser } from '../global-sign-out.ts';

export const handler = middy(async (event: GroupRemovalEvent) => {
  const userPoolId = process.env.USER_POOL_ID;
  if (!userPoolId) throw new Error('Invalid or missing configuration: USER_POOL_ID');
  await signOutRemovedUser(event, userPoolId);
})
  .use(tracing())
  .use(injectLambdaContext(logger));
