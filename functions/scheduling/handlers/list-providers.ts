// GET /v1/providers
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { listProviders } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(listProviders, (input) => catalog.list(input, 'provider', input.query));
