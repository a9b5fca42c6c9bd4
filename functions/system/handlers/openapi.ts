// GET /openapi.json
import { httpHandler } from '#shared/http/handler.ts';
import { buildOpenApi } from '#shared/openapi.ts';
import { routes } from '../../routes.ts';
import { openApiDocument } from '../routes.ts';

let document: unknown;

export const handler = httpHandler(openApiDocument, async () => {
  document ??= buildOpenApi(routes, { version: process.env.API_VERSION ?? '0.1.0' });
  return { status: 200, body: document, headers: { 'Cache-Control': 'public, max-age=300' } };
});
