// GET /v1/locations
import { httpHandler } from '#shared/http/handler.ts';
import { CatalogService } from '../catalog.ts';
import { listLocations } from '../routes.ts';

const catalog = new CatalogService();

export const handler = httpHandler(listLocations, (input) => catalog.list(input, 'location', input.query));
