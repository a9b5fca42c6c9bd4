// GET /v1/health (admins): each component's status and URL (the URLs name the user pool and the datastore).
import { config } from '#shared/config.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { checkHealth } from '../health-checks.ts';
import { healthDetails } from '../routes.ts';

export const handler = httpHandler(healthDetails, async () => {
  const { up, components } = await checkHealth();
  return {
    status: up ? 200 : 503,
    body: { status: up ? 'ok' : 'degraded', stage: config().STAGE, components },
  };
});
