// GET /health (public): ok or degraded, nothing else. Which component is down, and the ids in their URLs, are
// for admins only (GET /v1/health).
import { httpHandler } from '#shared/http/handler.ts';
import { checkHealth } from '../health-checks.ts';
import { health } from '../routes.ts';

export const handler = httpHandler(health, async () => {
  const { up } = await checkHealth();
  return { status: up ? 200 : 503, body: { status: up ? 'ok' : 'degraded' } };
});
