// POST /v1/providers
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { createProvider } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(createProvider, (input) => catalog.createProvider(input, input.body));
