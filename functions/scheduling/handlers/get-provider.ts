// GET /v1/providers/{providerId}
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { getProvider } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(getProvider, (input) => catalog.get('provider', input.params.providerId));
